"""The goals of a plan draft edited together: one row per goal, and an optional new one."""

from django import forms

from clients.models import PlanGoal, PlanRevision

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


class GoalsPage:
    """The goals page's forms together: the existing goals' rows and the new goal."""

    def __init__(self, data, *, revision: PlanRevision) -> None:
        goals = revision.goals.order_by("order", "text")
        self.data = data
        self.rows = GoalRowsFormSet(data, queryset=goals, prefix="goals")
        self.new = NewGoalForm(data, prefix="new")

    def is_valid(self) -> bool:
        return self.data is not None and self.rows.is_valid() and self.new.is_valid()

    def save_kwargs(self) -> dict:
        """The valid page as goals_save's arguments: texts kept, goals removed, the new one,
        and the goal moved up or down (by its button)."""
        rows = self.rows
        kept = [f for f in rows.forms if f.instance.pk and not rows._should_delete_form(f)]
        return {
            "texts": {str(f.instance.pk): f.cleaned_data["text"] for f in kept},
            "remove": {str(f.instance.pk) for f in rows.deleted_forms},
            "add": self.new.cleaned_data["text"].strip(),
            "move": self._move(),
        }

    def _move(self) -> tuple[str, int] | None:
        if self.data.get("move_up"):
            return (self.data["move_up"], -1)
        if self.data.get("move_down"):
            return (self.data["move_down"], 1)
        return None
