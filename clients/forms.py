"""Forms for client records, assignment and the caseload; every choice scoped by access."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from attachment_app.ids import ModelChoiceField, ModelMultipleChoiceField
from attachment_app.models import AuditEvent, Clinic, User
from clients.access import (
    clients_visible_to,
    members_of_clinic,
    therapists_of_clinic,
)
from clients.models import Client
from clients.selectors_caseload import NEEDS, TherapistLoad, clean_sort

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
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal beside the field it names, or above the form."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class TherapistChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.full_name or obj.email
        if hasattr(obj, "n_active"):
            return f"{name} ({obj.n_active} of {obj.caseload_capacity} active)"
        return name


def with_load(therapists):
    """Therapist choices labelled with their current load, so the admin chooses knowingly."""
    return therapists.annotate(
        n_active=Count("primary_clients", filter=Q(primary_clients__status=Client.Status.ACTIVE))
    )


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
        if user.is_clinic_admin:
            self.fields["therapist"].queryset = with_load(therapists_of_clinic(user))
        else:
            # A therapist adds a client to their own caseload.
            del self.fields["therapist"]


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
            (value, label) for value, label in Client.Status.choices if value != client.status
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


class UnassignForm(forms.Form):
    reason = forms.CharField(max_length=300)


class BulkActionForm(forms.Form):
    ASSIGN = "assign"
    STATUS = "status"

    clients = ModelMultipleChoiceField(
        queryset=Client.objects.none(),
        error_messages={"required": "Choose at least one client."},
        widget=forms.MultipleHiddenInput,
    )
    action = forms.ChoiceField(
        choices=[(ASSIGN, "Assign to a therapist"), (STATUS, "Change status")]
    )
    therapist = TherapistChoiceField(queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(choices=[("", "—"), *Client.Status.choices], required=False)
    reason = forms.CharField(max_length=300, required=False)
    # Holds the id of the therapist the admin confirmed going over capacity for.
    confirm_over_capacity = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients_visible_to(user)
        self.fields["therapist"].queryset = with_load(therapists_of_clinic(user))

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("therapist"):
            self.add_error("therapist", "Choose the therapist to assign to.")
        if data.get("action") == self.STATUS:
            if not data.get("status"):
                self.add_error("status", "Choose the new status.")
            if not data.get("reason"):
                self.add_error("reason", "Give a reason; it is kept in each record's history.")
        return data


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Name")
    status = forms.ChoiceField(choices=[("", "Any status"), *Client.Status.choices], required=False)
    therapist = forms.ChoiceField(required=False, label="Therapist")
    needs = forms.ChoiceField(
        choices=[("", "Anything"), *NEEDS.items()], required=False, label="Needs"
    )
    sort = forms.CharField(required=False)

    def __init__(self, *args, therapists: list[TherapistLoad], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Choices from the therapist rows the page has already loaded: scoped, no extra query.
        self.fields["therapist"].choices = [
            ("", "Anyone"),
            ("none", "Unassigned"),
            *((str(t.pk), t.name) for t in therapists),
        ]

    def clean_sort(self):
        return clean_sort(self.cleaned_data.get("sort") or "")

    def filters(self) -> dict[str, str]:
        """Only the valid filters: an unknown value is dropped, never an error page."""
        self.is_valid()
        return {
            k: self.cleaned_data.get(k) or "" for k in ["q", "status", "therapist", "needs", "sort"]
        }


class AuditSearchForm(forms.Form):
    client = forms.UUIDField(required=False, widget=forms.HiddenInput)
    client_name = forms.CharField(required=False, max_length=100, label="Client name")
    user = TherapistChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Anyone", label="User"
    )
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditEvent.Action.choices], required=False
    )
    date_from = forms.DateField(required=False, widget=DATE, label="From")
    date_to = forms.DateField(required=False, widget=DATE, label="To")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = user
        self.fields["user"].queryset = members_of_clinic(user)

    def clean_client(self):
        client_id = self.cleaned_data.get("client")
        if client_id and not clients_visible_to(self.viewer).filter(pk=client_id).exists():
            raise forms.ValidationError("No such client in your clinic.")
        return client_id

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date comes before the start date.")
        return data


class TherapistCreateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "credentials", "caseload_capacity", "is_clinic_admin"]
        labels = {
            "full_name": "Full name",
            "caseload_capacity": "Capacity (most active clients)",
            "is_clinic_admin": "Also a clinic admin",
        }

    def __init__(self, *args, clinic_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic_id = clinic_id

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # Only the admin's own clinic is checked: whether an address has an account
        # elsewhere is never revealed (clients/services/invitations.py).
        if User.objects.filter(email__iexact=email, clinic_id=self.clinic_id).exists():
            raise forms.ValidationError("Someone in your clinic already has this email address.")
        return email

    def validate_unique(self):
        """No uniqueness check across clinics here: the invitation decides, silently."""


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="The same password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords are not the same.")
        if first:
            who = User(email=self.invitation.email, full_name=self.invitation.full_name)
            password_validation.validate_password(first, user=who)
        return second


class TherapistEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "credentials", "caseload_capacity"]
        labels = {"full_name": "Full name", "caseload_capacity": "Capacity (most active clients)"}


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Recorded on each of their clients' assignment history.",
    )


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = ["no_session_alert_days"]
        labels = {"no_session_alert_days": "Flag active clients with no session for (days)"}

    def clean_no_session_alert_days(self):
        days = self.cleaned_data["no_session_alert_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError("Choose between 1 and 365 days.")
        return days
