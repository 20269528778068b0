"""The companion's forms: the clinician's sharing, the client's own entries."""

from django import forms

from exercises.models import SharedKind
from exercises.services.companion import practice_technique_choices

DISTRESS = [(n, str(n)) for n in range(11)]


class ShareForm(forms.Form):
    kind = forms.ChoiceField(choices=SharedKind.choices)
    source_id = forms.UUIDField()


class PracticeEntryForm(forms.Form):
    technique = forms.ChoiceField(label="What did you practise?", choices=())
    distress_before = forms.TypedChoiceField(
        label="Distress before (0 none, 10 most)",
        choices=DISTRESS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    distress_after = forms.TypedChoiceField(
        label="Distress after (0 none, 10 most)",
        choices=DISTRESS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="A note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technique"].choices = [("", "Choose…"), *practice_technique_choices()]


class LetterReplyForm(forms.Form):
    body = forms.CharField(
        label="Write a reply",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Your clinician reads it at your next visit, not before.",
    )
