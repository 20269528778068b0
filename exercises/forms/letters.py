from django import forms

from exercises.forms.common import ClientScopedForm
from exercises.models import LetterKind, ReparentingLetter


class ReparentingLetterForm(ClientScopedForm):
    class Meta:
        model = ReparentingLetter
        fields = [
            "kind",
            "title",
            "session",
            "younger_age",
            "experience",
            "letter",
            "client_reflection",
            "therapist_reflection",
            "client_keeps_copy",
        ]
        widgets = {
            "experience": forms.Textarea(attrs={"rows": 4}),
            "letter": forms.Textarea(attrs={"rows": 14}),
            "client_reflection": forms.Textarea(attrs={"rows": 4}),
            "therapist_reflection": forms.Textarea(attrs={"rows": 4}),
            "younger_age": forms.NumberInput(attrs={"min": 0, "max": 120}),
        }
        help_texts = {
            "younger_age": "Optional.",
            "title": "Optional, e.g. “To me at seven”.",
        }

    def __init__(self, *args, kind: str | None = None, **kwargs):
        """kind: the kind of letter asked for in the link (?kind=...), when it is one."""
        if kind in LetterKind.values:
            kwargs["initial"] = {"kind": kind, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    def clean_younger_age(self):
        age = self.cleaned_data.get("younger_age")
        if age is not None and age > 120:
            raise forms.ValidationError("Enter an age from 0 to 120.")
        return age

    def unsaved_letter(self, *, therapist) -> ReparentingLetter:
        """The valid form as an unsaved letter; a new one belongs to this client and therapist."""
        if self.instance._state.adding:
            self.instance.client = self.client
            self.instance.therapist = therapist
        return self.save(commit=False)
