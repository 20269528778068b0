"""Supervision: the clinic admin's form on a therapist's page; the supervisor's return form."""

from django import forms

from attachment_app.ids import ModelChoiceField
from attachment_app.models import User
from clients.models import Supervision


class SupervisionForm(forms.Form):
    supervisor = ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Not supervised",
        help_text="A clinician of your clinic who supervises this clinician's work.",
    )
    policy = forms.ChoiceField(
        choices=Supervision.Policy.choices,
        initial=Supervision.Policy.COSIGN,
        widget=forms.RadioSelect,
        label="Policy",
        help_text="With co-signing, the clinician's notes are final only once the "
        "supervisor co-signs them. Either way the supervisor reads their clients' records, "
        "never their private process notes.",
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = lambda u: u.full_name or u.email


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Comment for the clinician",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What should change. The clinician sees this, revises and sends again.",
    )
