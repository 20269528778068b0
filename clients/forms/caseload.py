"""The caseload's filters, bulk actions and alert window."""

from django import forms

from attachment_app.ids import ModelMultipleChoiceField
from attachment_app.models import Clinic, User
from clients.access import (
    clients_visible_to,
    therapists_of_clinic,
)
from clients.forms.common import TherapistChoiceField, confirmed_for, with_load
from clients.models import Client
from clients.selectors.caseload import NEEDS, TherapistLoad, clean_sort


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

    def action_kwargs(self) -> dict:
        """The valid form as clients_bulk_act's arguments (the capacity confirmation included)."""
        data = self.cleaned_data
        return {
            "action": data["action"],
            "clients": list(data["clients"]),
            "therapist": data["therapist"],
            "status": data["status"],
            "reason": data["reason"],
            "allow_over_capacity": confirmed_for(self, data["therapist"]),
        }

    def chosen(self) -> list:
        """The clients ticked on the caseload, valid or not (the page lists them again)."""
        return list(getattr(self, "cleaned_data", {}).get("clients") or [])


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
