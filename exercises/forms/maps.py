from django import forms

from attachment_app.ids import ModelChoiceField, ModelMultipleChoiceField
from clients.future_entries import future_date_error
from exercises.forms.common import ClientScopedForm, DateInput
from exercises.maps import free_spot
from exercises.models import Figure, MapSnapshot, MapTheme, RelationshipMap, Tie
from exercises.models.maps import CANVAS_HEIGHT, CANVAS_WIDTH, FigureRole, clamp_position

RATING_HELP = "0 (none) to 5 (most)."


class OwnIds:
    """The map page holds four forms with fields of the same name (label, note):
    each form's ids get their own prefix, so every <label for> finds its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    def save_on(self, rmap: RelationshipMap):
        """Save the new part (figure, tie, theme) on this map."""
        self.instance.map = rmap
        return self.save()


class RelationshipMapForm(ClientScopedForm):
    class Meta:
        model = RelationshipMap
        fields = ["title", "date", "session", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class FigureForm(OwnIds, forms.ModelForm):
    id_prefix = "figure"

    class Meta:
        model = Figure
        fields = ["role", "label", "deceased", "x", "y", "note"]
        help_texts = {
            "x": f"0 to {CANVAS_WIDTH}, left to right; empty: placed where there is room.",
            "y": f"0 to {CANVAS_HEIGHT}, top to bottom.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["x"].required = False
        self.fields["y"].required = False
        if self.instance._state.adding:
            # Left empty, a new figure is placed where there is room (not on the centre).
            self.initial.pop("x", None)
            self.initial.pop("y", None)
        is_client = self.instance.pk and self.instance.role == FigureRole.CLIENT
        # The client stays the client; other figures take any role but that one.
        self.fields["role"].choices = (
            [(FigureRole.CLIENT, FigureRole.CLIENT.label)]
            if is_client
            else [c for c in FigureRole.choices if c[0] != FigureRole.CLIENT]
        )

    def _coordinate(self, name: str, limit: int) -> int | None:
        value = self.cleaned_data.get(name)
        if value is None:
            # A new figure without a position is placed where there is room (save_on).
            return None if self.instance._state.adding else getattr(self.instance, name)
        if not 0 <= value <= limit:
            raise forms.ValidationError(f"Use a number from 0 to {limit}.")
        return value

    def clean_x(self) -> int | None:
        return self._coordinate("x", CANVAS_WIDTH)

    def clean_y(self) -> int | None:
        return self._coordinate("y", CANVAS_HEIGHT)

    def clean(self):
        data = super().clean()
        x, y = data.get("x"), data.get("y")
        if x is not None and y is not None:
            # Within the drawing, but a whole figure must fit: pulled in from the edges.
            data["x"], data["y"] = clamp_position(x, y)
        return data

    def save_on(self, rmap: RelationshipMap) -> Figure:
        """Save the figure on this map; without a position it goes where there is room."""
        fig = self.instance
        fig.map = rmap
        if self.cleaned_data.get("x") is None or self.cleaned_data.get("y") is None:
            taken = list(Figure.objects.filter(map=rmap).exclude(pk=fig.pk).values_list("x", "y"))
            fig.x, fig.y = free_spot(taken)
        return self.save()


class FigureChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Figure) -> str:
        return f"{obj.label} ({obj.get_role_display()})"


class TieForm(OwnIds, forms.ModelForm):
    id_prefix = "tie"

    source = FigureChoiceField(queryset=Figure.objects.none(), label="From")
    target = FigureChoiceField(queryset=Figure.objects.none(), label="To")

    class Meta:
        model = Tie
        fields = ["source", "target", "kind", "direction", "closeness", "trust", "tension", "note"]
        widgets = {
            f: forms.NumberInput(attrs={"min": 0, "max": 5})
            for f in ("closeness", "trust", "tension")
        }
        help_texts = {"closeness": RATING_HELP, "trust": RATING_HELP, "tension": RATING_HELP}

    def __init__(self, *args, rmap: RelationshipMap, **kwargs):
        super().__init__(*args, **kwargs)
        # Only figures of this very map can be joined.
        figures = Figure.objects.filter(map=rmap)
        self.fields["source"].queryset = figures
        self.fields["target"].queryset = figures

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", "A tie joins two different figures.")
        return data


class MapThemeForm(OwnIds, forms.ModelForm):
    id_prefix = "theme"

    figures = ModelMultipleChoiceField(
        queryset=Figure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Figures it involves",
    )

    class Meta:
        model = MapTheme
        fields = ["name", "note", "figures"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, rmap: RelationshipMap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures"].queryset = Figure.objects.filter(map=rmap)


class SnapshotForm(OwnIds, forms.ModelForm):
    id_prefix = "snapshot"

    class Meta:
        model = MapSnapshot
        fields = ["taken_on", "label"]
        widgets = {"taken_on": DateInput()}
        labels = {"taken_on": "Date", "label": "Label (optional)"}

    def __init__(self, *args, clinic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if self.clinic is not None:
            message = future_date_error(clinic=self.clinic, date=taken_on)
            if message:
                raise forms.ValidationError(message)
        return taken_on
