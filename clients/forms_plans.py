from django import forms

from clients.models import PlanGoal, PlanIntervention, PlanObjective, PlanRevision


class PlanRevisionForm(forms.ModelForm):
    class Meta:
        model = PlanRevision
        fields = [
            "presenting_problems",
            "style_hypothesis",
            "hypothesis_evidence",
            "relationship_patterns",
            "change_wishes",
            "strengths",
            "supports",
            "review_date",
            "client_participated",
            "participation_date",
            "participation_note",
        ]
        widgets = {
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "participation_date": forms.DateInput(attrs={"type": "date"}),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "presenting_problems",
                    "hypothesis_evidence",
                    "relationship_patterns",
                    "change_wishes",
                    "strengths",
                    "supports",
                ]
            },
        }
        help_texts = {
            "style_hypothesis": "A working idea to guide the work, not a diagnosis.",
            "review_date": "Required before signing.",
        }

    def __init__(self, *args, strict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict

    def clean(self):
        cleaned = super().clean()
        if self.strict and not cleaned.get("review_date"):
            self.add_error("review_date", "Please set a review date before signing.")
        if cleaned.get("client_participated") and not cleaned.get("participation_date"):
            self.add_error("participation_date", "When was the plan agreed?")
        return cleaned


class GoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["text"]


ObjectiveFormSet = forms.inlineformset_factory(
    PlanGoal,
    PlanObjective,
    fields=["text", "target_date", "status", "progress"],
    widgets={
        "target_date": forms.DateInput(attrs={"type": "date"}),
        "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    },
    extra=1,
    can_delete=True,
)

InterventionFormSet = forms.inlineformset_factory(
    PlanGoal,
    PlanIntervention,
    fields=["technique", "description", "frequency"],
    extra=1,
    can_delete=True,
)
