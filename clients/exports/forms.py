from django import forms
from django.conf import settings

from attachment_app.ids import ModelChoiceField
from attachment_app.models import User
from clients.exports.registry import SESSION_SUMMARY, InvalidParameters, documents, get_document
from clients.models import Client, TherapySession


class ClientExportForm(forms.Form):
    """Ask for a document about one client. Sessions offered are the client's own."""

    kind = forms.ChoiceField(label="Document")
    session = ModelChoiceField(
        queryset=TherapySession.objects.none(),
        required=False,
        empty_label="All sessions in the dates below",
        help_text="For a session summary: one session, or leave empty and give dates.",
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=(
            f"One summary holds at most {settings.EXPORT_MAX_SESSIONS_PER_SUMMARY} sessions; "
            "for a longer period, prepare it in parts."
        ),
    )
    include_drafts = forms.BooleanField(
        required=False,
        label="A draft copy: include what is not yet signed",
        help_text=(
            "Documents show signed notes and plan revisions only. A draft copy adds the "
            "unsigned ones and says DRAFT on every page."
        ),
    )

    def __init__(self, *args, client: Client, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.user = user
        self.fields["kind"].choices = [(d.key, d.label) for d in documents("client")]
        self.fields["session"].queryset = TherapySession.objects.filter(client=client).order_by(
            "-date"
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        document = get_document(cleaned.get("kind") or "")
        if document is None:
            return cleaned
        params: dict = {name: self.data.get(name, "") for name in document.parameter_names}
        if document.key == SESSION_SUMMARY:
            session = cleaned.get("session")
            if session is not None:
                params = {"session_id": str(session.pk)}
            else:
                params = {
                    "date_from": cleaned["date_from"].isoformat()
                    if cleaned.get("date_from")
                    else "",
                    "date_to": cleaned["date_to"].isoformat() if cleaned.get("date_to") else "",
                }
        if document.has_drafts and cleaned.get("include_drafts"):
            params["include_drafts"] = True
        try:
            cleaned["params"] = document.clean_parameters(self.client, self.user, params)
            if params.get("include_drafts"):
                cleaned["params"]["include_drafts"] = True
        except InvalidParameters as exc:
            if document.key == SESSION_SUMMARY:
                self.add_error("session" if not params.get("date_from") else "date_to", str(exc))
            else:
                self.add_error(None, str(exc))
        return cleaned


class ClinicExportForm(forms.Form):
    kind = forms.ChoiceField(label="Document")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(d.key, d.label) for d in documents("clinic")]
