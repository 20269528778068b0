"""The goals of a plan draft edited together: one row per goal, and an optional new one."""

from django import forms

from clients.models import PlanGoal

GoalRowsFormSet = forms.modelformset_factory(
    PlanGoal,
    fields=["text"],
    # No blank rows: a new goal has its own optional field below the list.
    extra=0,
    can_delete=True,
    widgets={"text": forms.TextInput(attrs={"maxlength": 300})},
)


class NewGoalForm(forms.Form):
    text = forms.CharField(
        max_length=300,
        required=False,
        label="New goal",
        help_text="Optional. Added at the end of the list.",
    )
