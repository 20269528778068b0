from django import forms

from exercises.forms.common import ClientScopedForm, DateInput
from exercises.models import GROUNDING_TECHNIQUES, SafeSpacePlan, SafeSpacePractice


class SafeSpacePlanForm(ClientScopedForm):
    techniques = forms.MultipleChoiceField(
        choices=[(k, f"{name}: {how}") for k, (name, how) in GROUNDING_TECHNIQUES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Grounding techniques",
    )

    class Meta:
        model = SafeSpacePlan
        fields = [
            "kind",
            "name",
            "session",
            "description",
            "seen",
            "heard",
            "smelled",
            "felt",
            "tasted",
            "cue_word",
            "techniques",
            "own_techniques",
            "people_to_call",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2})
            for f in (
                "seen",
                "heard",
                "smelled",
                "felt",
                "tasted",
                "own_techniques",
                "people_to_call",
            )
        } | {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "cue_word": "A word the client can say to bring the safe space to mind.",
            "description": "In the client's words.",
        }


class PracticeForm(forms.ModelForm):
    class Meta:
        model = SafeSpacePractice
        fields = ["date", "distress_before", "distress_after", "note"]
        widgets = {
            "date": DateInput(),
            "distress_before": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "distress_after": forms.NumberInput(attrs={"min": 0, "max": 10}),
        }
