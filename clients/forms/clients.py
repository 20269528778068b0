"""Forms for a client's record, status and assignment; every choice scoped by access."""

from django import forms
from django.utils import timezone

from attachment_app.models import User
from clients.access import (
    therapists_of_clinic,
)
from clients.forms.common import DATE, TherapistChoiceField, confirmed_for, with_load
from clients.models import Client

RECORD_FIELDS = [
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "emergency_contact",
    "appointment_reminders",
    "intake_date",
    "referral_source",
    # Matching from the waitlist
    "waitlist_priority",
    "availability",
    "preferred_modality",
    "presenting_need",
]


CLINICAL_FIELDS = [
    "presenting_concerns",
    "relationship_concerns",
    "childhood_history",
    "suits_relationship_problems",
    "suits_childhood_unmet_needs",
    "suits_link_childhood_present",
    "suitability_notes",
    "attachment_hypothesis",
    "attachment_hypothesis_date",
]


class ClientRecordForm(forms.ModelForm):
    """Identity, contact and referral: what a clinic admin may see and edit."""

    class Meta:
        model = Client
        fields = RECORD_FIELDS
        widgets = {
            "date_of_birth": DATE,
            "intake_date": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "legal_first_name": "Legal first name",
            "legal_last_name": "Legal last name",
            "preferred_name": "Preferred name",
        }
        help_texts = {"preferred_name": "Used across the app when given."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Matching details are optional: left out, they keep "routine" and "no preference".
        for name in ("waitlist_priority", "preferred_modality"):
            self.fields[name].required = False

    def _or_default(self, name: str):
        value = self.cleaned_data.get(name)
        if value in (None, ""):
            return self.instance._meta.get_field(name).get_default()
        return value

    def clean_waitlist_priority(self):
        return self._or_default("waitlist_priority")

    def clean_preferred_modality(self):
        return self._or_default("preferred_modality")

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        return value


class ClientCreateForm(ClientRecordForm):
    """A new client; a clinic admin may assign them now or leave them on the waitlist."""

    therapist = TherapistChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody yet: add to the waitlist",
        label="Primary therapist",
    )
    # Holds the id of the therapist the admin confirmed going over capacity for.
    confirm_over_capacity = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(ClientRecordForm.Meta):
        pass

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_clinic_admin:
            self.fields["therapist"].queryset = with_load(therapists_of_clinic(user))
        else:
            # A therapist adds a client to their own caseload.
            del self.fields["therapist"]

    def create_kwargs(self) -> dict:
        """The valid form as client_create's arguments: the unsaved client, who takes them
        on (the admin's choice, or the therapist adding them) and the capacity confirmation."""
        therapist = self.cleaned_data.get("therapist") if self.user.is_clinic_admin else self.user
        return {
            "client": self.save(commit=False),
            "therapist": therapist,
            "allow_over_capacity": confirmed_for(self, therapist),
        }


class ClientClinicalForm(forms.ModelForm):
    """Clinical fields: only the assigned therapist sees or edits these."""

    class Meta:
        model = Client
        fields = CLINICAL_FIELDS
        widgets = {
            "presenting_concerns": forms.Textarea(attrs={"rows": 4}),
            "relationship_concerns": forms.Textarea(attrs={"rows": 4}),
            "childhood_history": forms.Textarea(attrs={"rows": 5}),
            "suitability_notes": forms.Textarea(attrs={"rows": 3}),
            "attachment_hypothesis_date": DATE,
        }
        labels = {"attachment_hypothesis_date": "Hypothesis dated"}
        help_texts = {
            "attachment_hypothesis": "A working hypothesis to revisit, never a diagnosis.",
            "attachment_hypothesis_date": "Left empty, today's date is used when it changes.",
        }

    def clean(self):
        data = super().clean()
        if "attachment_hypothesis" in self.changed_data and (
            "attachment_hypothesis_date" not in self.changed_data
        ):
            data["attachment_hypothesis_date"] = timezone.localdate()
        when = data.get("attachment_hypothesis_date")
        if when and when > timezone.localdate():
            self.add_error("attachment_hypothesis_date", "The date cannot be in the future.")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Client.Status.choices, label="New status")
    reason = forms.CharField(
        max_length=300,
        help_text="A short, factual reason; it is kept in the record's history.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["status"].choices = [
            (value, label)
            for value, label in Client.Status.choices
            # Discharge has its own page (a reason, a date, a closing summary).
            if value not in (client.status, Client.Status.DISCHARGED)
        ]


class AssignForm(forms.Form):
    therapist = TherapistChoiceField(queryset=User.objects.none(), label="Primary therapist")
    reason = forms.CharField(max_length=300, required=False, help_text="Kept in the history.")
    # Holds the id of the therapist the admin confirmed going over capacity for.
    confirm_over_capacity = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, client: Client | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["therapist"].queryset = with_load(therapists_of_clinic(user))
        if client is not None and client.primary_therapist_id:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = "Why the client is moving; kept in the history."

    def clean_therapist(self):
        therapist = self.cleaned_data["therapist"]
        if self.client is not None and therapist.pk == self.client.primary_therapist_id:
            raise forms.ValidationError("This therapist is already the primary therapist.")
        return therapist

    def assign_kwargs(self) -> dict:
        """The valid form as client_assign's arguments (the capacity confirmation included)."""
        therapist = self.cleaned_data["therapist"]
        return {
            "therapist": therapist,
            "reason": self.cleaned_data["reason"],
            "allow_over_capacity": confirmed_for(self, therapist),
        }


class UnassignForm(forms.Form):
    reason = forms.CharField(max_length=300)
