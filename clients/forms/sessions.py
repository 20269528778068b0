from django import forms

from attachment_app.ids import ModelMultipleChoiceField
from clients.future_entries import future_date_error
from clients.models import (
    Client,
    SessionAddendum,
    TherapySession,
)
from clients.models.sessions import FORMAT_SECTIONS, NOTE_SECTIONS, technique_choices
from clients.selectors.plans import goals_for_session_form
from clients.services.sessions import completeness_errors
from clients.session_exercises import session_exercise_choices

NOTE_FIELDS = list(NOTE_SECTIONS)


class TherapySessionForm(forms.ModelForm):
    """The progress note. `strict` (a full save or signing) asks for what a draft may leave out."""

    techniques = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Techniques used",
    )
    exercises_done = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Exercises done in this session",
        help_text="The client's exercises; each links to this note and this note to it.",
    )
    process_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Process note",
        help_text=(
            "Visible only to you. Never shown to clinic admins and never included in "
            "exports, PDFs or summaries."
        ),
    )

    class Meta:
        model = TherapySession
        fields = [
            "date",
            "start_time",
            "duration_minutes",
            "modality",
            "attendance",
            "techniques",
            "technique_other",
            "goals_addressed",
            "distress_before",
            "distress_after",
            "note_format",
            *NOTE_FIELDS,
            "homework",
            "risk_level",
            "risk_note",
        ]
        field_classes = {"goals_addressed": ModelMultipleChoiceField}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "note_format": forms.RadioSelect,
            "goals_addressed": forms.CheckboxSelectMultiple,
            "distress_before": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "distress_after": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "homework": forms.Textarea(attrs={"rows": 2}),
            "risk_note": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.Textarea(attrs={"rows": 4, "data-note-section": name})
                for name in NOTE_FIELDS
            },
        }

    def __init__(self, *args, client: Client, strict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        self.clinic = client.clinic
        self.fields["goals_addressed"].queryset = goals_for_session_form(client)
        instance = kwargs.get("instance")
        recorded = list(instance.techniques or []) if instance is not None else []
        self.fields["techniques"].choices = technique_choices(
            client.clinic.extra_technique_list, keep=recorded
        )
        exercise_choices, linked = session_exercise_choices(client, instance)
        self.fields["exercises_done"].choices = exercise_choices
        self.fields["exercises_done"].initial = linked
        if instance is None and "note_format" not in self.initial:
            self.initial["note_format"] = client.clinic.default_note_format
        self.fields["goals_addressed"].help_text = "Goals of the signed treatment plan."
        for name, (label, help_text) in NOTE_SECTIONS.items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text
        self.fields["risk_level"].help_text = "A note is required for anything above none."

    def clean(self):
        cleaned = super().clean()
        future = future_date_error(
            clinic=self.clinic, date=cleaned.get("date"), start_time=cleaned.get("start_time")
        )
        if future:
            self.add_error("date", future)
        if self.strict:
            for field, message in completeness_errors(cleaned).items():
                self.add_error(field, message)
        return cleaned

    def draft_kwargs(self) -> dict:
        """The valid form as session_draft_save's arguments."""
        return {
            "values": self.session_values(),
            "goals": list(self.cleaned_data["goals_addressed"]),
            "process_note": self.cleaned_data["process_note"],
            "exercises": self.cleaned_data["exercises_done"],
        }

    def session_values(self) -> dict:
        """Model fields to save, without the many-to-many and the private note."""
        return {
            name: self.cleaned_data[name] for name in self.Meta.fields if name != "goals_addressed"
        }

    def note_fields(self) -> list[tuple[object, str]]:
        """(bound field, the formats it belongs to), each note section once."""
        return [
            (self[name], " ".join(f for f, names in FORMAT_SECTIONS.items() if name in names))
            for name in NOTE_FIELDS
        ]


class AddendumForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label="I sign this addendum. It cannot be changed afterwards.", required=True
    )

    class Meta:
        model = SessionAddendum
        fields = ["reason", "text"]
        labels = {"reason": "Reason for the addendum", "text": "Addendum"}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        # The private process note on the same page also has a "text" field: distinct
        # ids keep each label tied to its own box.
        kwargs.setdefault("auto_id", "id_addendum_%s")
        super().__init__(*args, **kwargs)


class ProcessNoteForm(forms.Form):
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Private process note",
    )
