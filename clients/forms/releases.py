from django import forms
from django.utils import timezone

from clients.models import ReleasePart, ReleaseRequest


class ReleaseRequestForm(forms.Form):
    requester = forms.ChoiceField(
        choices=ReleaseRequest.Requester.choices,
        widget=forms.RadioSelect,
        label="Who asked",
        initial=ReleaseRequest.Requester.CLIENT,
    )
    recipient = forms.CharField(
        max_length=200,
        required=False,
        label="Third party",
        help_text=(
            "For a third party: the name exactly as on the client's release authorization. "
            "Without a current authorization on file the request is refused."
        ),
    )
    parts = forms.MultipleChoiceField(
        choices=ReleasePart.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What was asked for",
        help_text="Signed and final items only. Private process notes are never released.",
    )
    date_from = forms.DateField(
        label="Records from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="Records to", widget=forms.DateInput(attrs={"type": "date"}))
    received_on = forms.DateField(
        label="Request received",
        help_text="The 30-day clock runs from this day.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["date_to"].initial = timezone.localdate()


class ReleaseFulfilForm(forms.Form):
    confirm = forms.BooleanField(
        label="The bundle was sent. Record this release as a disclosure.", required=True
    )


class ReleaseRefuseForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Reason for refusing",
        help_text="Kept with the request and told to the requester.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
