from django import forms
from django.utils import timezone

from clients.models import PlanGoal, PlanIntervention, PlanObjective, PlanRevision
from clients.services.plans import PAST_REVIEW_DATE, Agreement


class PlanRevisionForm(forms.ModelForm):
    class Meta:
        model = PlanRevision
        fields = list(PlanRevision.CONTENT_FIELDS)
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
        elif self.strict and cleaned["review_date"] < timezone.localdate():
            self.add_error("review_date", PAST_REVIEW_DATE)
        if cleaned.get("client_participated") and not cleaned.get("participation_date"):
            self.add_error("participation_date", "When was the plan agreed?")
        return cleaned


class RevisionSignForm(forms.Form):
    """The confirmation before a revision locks; asks about agreement only when it must."""

    agreement = forms.ChoiceField(
        label="Has the client agreed to this revision?",
        choices=[
            (Agreement.AGREED_AGAIN, "Yes, the client agreed to this revision in session"),
            (Agreement.NOT_YET, "Not yet: sign it as not yet agreed with the client"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    agreed_on = forms.DateField(
        label="Agreed on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Needed when the client agreed.",
    )

    def __init__(self, *args, ask_agreement: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.ask_agreement = ask_agreement
        if not ask_agreement:
            del self.fields["agreement"], self.fields["agreed_on"]
        else:
            self.fields["agreement"].required = True
            self.fields["agreement"].error_messages["required"] = (
                "Say whether the client has agreed to this revision."
            )

    def agreement_kwargs(self) -> dict:
        """The valid form as revision_sign's agreement arguments."""
        return {
            "agreement": self.cleaned_data.get("agreement") or None,
            "agreed_on": self.cleaned_data.get("agreed_on"),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("agreement") == Agreement.AGREED_AGAIN:
            agreed_on = cleaned.get("agreed_on")
            if agreed_on is None:
                self.add_error("agreed_on", "When did the client agree to this revision?")
            elif agreed_on > timezone.localdate():
                self.add_error("agreed_on", "This date is in the future.")
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


class GoalParts:
    """A goal with its objectives and interventions, validated and saved together."""

    def __init__(self, data, *, goal: PlanGoal) -> None:
        self.form = GoalForm(data, instance=goal)
        self.objectives = ObjectiveFormSet(data, instance=goal, prefix="objectives")
        self.interventions = InterventionFormSet(data, instance=goal, prefix="interventions")
        self.parts = (self.form, self.objectives, self.interventions)

    def is_valid(self) -> bool:
        return self.form.is_bound and all(part.is_valid() for part in self.parts)

    def save(self) -> None:
        for part in self.parts:
            part.save()

    def context(self) -> dict:
        return {
            "form": self.form,
            "objectives": self.objectives,
            "interventions": self.interventions,
        }
