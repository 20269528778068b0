"""The companion's forms: the clinician's sharing, the client's own entries."""

from django import forms
from django.utils import timezone

from attachment_app.ids import ModelChoiceField
from exercises.forms.common import DateInput
from exercises.forms.exploration import scale_choices
from exercises.models import PHQ9_DIFFICULTY_QUESTION, Phq9Difficulty, RatingScale, SharedKind
from exercises.services.companion import practice_technique_choices

DISTRESS = [(n, str(n)) for n in range(11)]


class ShareForm(forms.Form):
    kind = forms.ChoiceField(choices=SharedKind.choices)
    source_id = forms.UUIDField()


class PracticeEntryForm(forms.Form):
    technique = forms.ChoiceField(label="What did you practise?", choices=())
    distress_before = forms.TypedChoiceField(
        label="Distress before (0 none, 10 most)",
        choices=DISTRESS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    distress_after = forms.TypedChoiceField(
        label="Distress after (0 none, 10 most)",
        choices=DISTRESS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="A note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technique"].choices = [("", "Choose…"), *practice_technique_choices()]


class LetterReplyForm(forms.Form):
    body = forms.CharField(
        label="Write a reply",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Your clinician reads it at your next visit, not before.",
    )


class LetterDraftForm(forms.Form):
    """A letter of the client's own (to their younger self, or to anyone), not a reply."""

    body = forms.CharField(
        label="Your letter",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Your clinician reads it at your next visit, not before.",
    )


SCALE = [("", "—"), *[(str(n), str(n)) for n in range(11)]]


class ClosenessForm(forms.Form):
    """For each person of the shared map: how close, how safe (0-10); a person may be skipped."""

    def __init__(self, *args, people: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for i, person in enumerate(people):
            self.fields[f"close_{i}"] = forms.TypedChoiceField(
                label=f"How close do you feel to {person['label']}?",
                choices=SCALE,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"safe_{i}"] = forms.TypedChoiceField(
                label=f"How safe do you feel with {person['label']}?",
                choices=SCALE,
                coerce=int,
                required=False,
                empty_value=None,
            )

    def person_rows(self):
        """(person, its closeness field, its safety field) for the template."""
        return [
            (person, self[f"close_{i}"], self[f"safe_{i}"]) for i, person in enumerate(self.people)
        ]

    def clean(self):
        data = super().clean()
        ratings = {}
        for i, person in enumerate(self.people):
            close, safe = data.get(f"close_{i}"), data.get(f"safe_{i}")
            if (close is None) != (safe is None):
                self.add_error(
                    f"safe_{i}" if safe is None else f"close_{i}", "Rate both, or neither."
                )
            elif close is not None:
                ratings[person["key"]] = (close, safe)
        if not ratings and not self.errors:
            raise forms.ValidationError("Rate at least one person, or leave the page as it is.")
        data["ratings"] = ratings
        return data


class CheckInScheduleForm(forms.Form):
    """The clinician's side: which measure, due when (the clinic's scales and the built-ins)."""

    scale = ModelChoiceField(label="Measure", queryset=RatingScale.objects.none())
    due_date = forms.DateField(label="Due by", widget=DateInput())

    def __init__(self, *args, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].queryset = scales
        self.fields["scale"].empty_label = "Choose…"

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date cannot be in the past.")
        return due


class CheckInAnswerForm(forms.Form):
    """The client's side: every item answered with one of the measure's own options."""

    def __init__(self, *args, scale: RatingScale, items: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        choices = scale_choices(scale)
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=f"{item.position}. {item.text}",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose one answer."},
            )
        if scale.builtin == "phq9":
            # After the nine items, as on the printed form; optional and never scored.
            self.fields["difficulty"] = forms.TypedChoiceField(
                label=PHQ9_DIFFICULTY_QUESTION,
                choices=Phq9Difficulty.choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                help_text="Not part of the score.",
            )

    def responses(self) -> dict[str, int]:
        return {str(item.pk): self.cleaned_data[f"item_{item.pk}"] for item in self.items}

    def difficulty(self) -> int | None:
        return self.cleaned_data.get("difficulty")
