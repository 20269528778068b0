"""Consent documents (clinic admins) and a client's signature (on the clinician's screen)."""

from django import forms
from django.utils import timezone

from attachment_app.dates import format_date
from clients.models import ConsentKind, ConsentTemplate

BODY_MAX = 20_000


class ConsentTemplateForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of document", choices=ConsentKind.choices)
    title = forms.CharField(max_length=200, help_text="Up to 200 characters.")
    body = forms.CharField(
        label="Text the client reads",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            f"Up to {BODY_MAX:,} characters. A blank line starts a new paragraph. Saving "
            "makes a new version; clients who signed an earlier one keep that version."
        ),
    )

    def __init__(self, *args, current: ConsentTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None:
            # Editing one document: its kind is fixed, its text starts as the current one.
            del self.fields["kind"]
            self.initial.setdefault("title", current.title)
            self.initial.setdefault("body", current.body)


class ConsentSignForm(forms.Form):
    """What the client fills in. Release fields are asked for a release authorization only."""

    recipient = forms.CharField(
        label="Release to (person or organisation)",
        max_length=200,
        required=False,
        help_text="For example: Dr. Lee, Riverside Family Practice.",
    )
    information = forms.CharField(
        label="Information that may be released",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: dates of attendance and the treatment plan summary.",
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=300,
        required=False,
        help_text="Optional. For example: coordination of care.",
    )
    expires_on = forms.DateField(
        label="Authorization ends on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="After this date nothing more may be released under it.",
    )
    read_confirmed = forms.BooleanField(
        label="I have read this document and had the chance to ask questions about it",
        required=False,
    )
    signed_name = forms.CharField(
        label="Full name (typed by the client)", max_length=200, required=False
    )
    signed_on = forms.DateField(
        label="Date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today's date.",
    )

    def __init__(self, *args, template: ConsentTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        if template.kind != ConsentKind.RELEASE:
            for name in ("recipient", "information", "purpose", "expires_on"):
                del self.fields[name]
        self.fields["signed_on"].help_text = f"Today's date ({format_date(timezone.localdate())})."
