from django import forms

from attachment_app.dates import format_date
from attachment_app.ids import ModelChoiceField
from clients.models import Client, TherapySession


class SessionChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: TherapySession) -> str:
        return f"{format_date(obj.date)} ({obj.get_status_display().lower()})"


def session_field(client: Client) -> SessionChoiceField:
    """Choose the session from this client's own sessions only."""
    return SessionChoiceField(
        queryset=TherapySession.objects.filter(client=client).order_by("-date"),
        required=False,
        label="Done in session",
        empty_label="Not linked to a session",
        help_text="Optional.",
    )


class ClientScopedForm(forms.ModelForm):
    """A form for an exercise of one client; its session choices come from that client only."""

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        if "session" in self.fields:
            self.fields["session"] = session_field(client)
            if self.instance.pk and self.instance.session_id:
                self.initial["session"] = self.instance.session_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
