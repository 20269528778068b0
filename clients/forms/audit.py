"""The clinic admin's audit-trail search."""

from django import forms

from attachment_app.models import AuditEvent, User
from clients.access import (
    clients_visible_to,
    members_of_clinic,
)
from clients.forms.common import DATE, TherapistChoiceField


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

    def filters(self) -> dict | None:
        """What to narrow the trail by: nothing asked yet ({}), the valid search, or None
        when the search is not valid (the page then lists nothing, with the errors)."""
        if not self.is_bound:
            return {}
        return self.cleaned_data if self.is_valid() else None
