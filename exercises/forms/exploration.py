import re

from django import forms

from attachment_app.ids import ModelMultipleChoiceField
from exercises.forms.common import ClientScopedForm, DateInput, session_field
from exercises.models import (
    Exploration,
    ExplorationAnswer,
    Prompt,
    PromptTheme,
    RatingScale,
    ScaleItem,
)
from exercises.selectors import HypothesisChange, hypothesis_change, retired_prompt_ids
from exercises.services import balanced_prompt_set

AID = "An exploration aid, not a validated instrument."


class PromptChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Prompt) -> str:
        return f"{obj.text} ({obj.get_theme_display()}; {obj.get_dimension_display().lower()})"


class StartExplorationForm(forms.Form):
    MODE_CHOICES = [
        ("balanced", "A balanced default set (8 prompts across themes and both dimensions)"),
        ("themes", "All prompts of the themes I pick"),
        ("pick", "The prompts I pick"),
    ]
    date = forms.DateField(widget=DateInput())
    mode = forms.ChoiceField(
        choices=MODE_CHOICES, widget=forms.RadioSelect, initial="balanced", label="Prompts"
    )
    themes = forms.MultipleChoiceField(
        choices=PromptTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Used with “All prompts of the themes I pick”.",
    )
    prompts = PromptChoiceField(
        queryset=Prompt.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Used with “The prompts I pick”. More can be added during the exploration.",
    )

    def __init__(self, *args, client, prompts, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.available = prompts
        self.fields["session"] = session_field(client)
        self.fields["prompts"].queryset = prompts
        self.order_fields(["date", "session", "mode", "themes", "prompts"])

    def start_kwargs(self) -> dict:
        """The valid form as exploration_start's arguments: the prompts the chosen way picks."""
        data = self.cleaned_data
        available = list(self.available)
        if data["mode"] == "themes":
            chosen = [p for p in available if p.theme in data["themes"]]
        elif data["mode"] == "pick":
            chosen = list(data["prompts"])
        else:
            chosen = balanced_prompt_set(available)
        return {
            "client": self.client,
            "date": data["date"],
            "session": data["session"],
            "prompts": chosen,
        }

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == "themes" and not data.get("themes"):
            self.add_error("themes", "Pick at least one theme, or choose another way.")
        if mode == "pick" and not data.get("prompts"):
            self.add_error("prompts", "Pick at least one prompt, or choose another way.")
        return data


class ExplorationForm(ClientScopedForm):
    """The exploration itself, plus one text box per prompt for the client's answer."""

    class Meta:
        model = Exploration
        fields = [
            "date",
            "session",
            "hypothesis",
            "anxiety_rating",
            "avoidance_rating",
            "observations",
        ]
        widgets = {
            "date": DateInput(),
            "observations": forms.Textarea(attrs={"rows": 5}),
            "anxiety_rating": forms.NumberInput(attrs={"min": 1, "max": 7}),
            "avoidance_rating": forms.NumberInput(attrs={"min": 1, "max": 7}),
        }
        help_texts = {
            "hypothesis": "A working hypothesis, revised as therapy goes on; never a diagnosis. "
            "Saving asks before it changes the one on the client's record.",
            # The aid note is said once, above the ratings, not on every field.
            "anxiety_rating": "Optional. 1 (low) to 7 (high).",
            "avoidance_rating": "Optional. 1 (low) to 7 (high).",
        }

    def __init__(
        self, *args, answers: list[ExplorationAnswer], retired: set[int] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if retired is None:
            retired = retired_prompt_ids(self.client.clinic_id, [a.prompt_id for a in answers])
        self.answer_rows = answers
        for row in answers:
            self.fields[f"answer_{row.pk}"] = forms.CharField(
                label=row.prompt.text,
                required=False,
                initial=row.answer,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Retired prompt, kept as asked." if row.prompt_id in retired else "",
            )

    def answer_fields(self) -> list:
        return [self[f"answer_{row.pk}"] for row in self.answer_rows]

    def answers(self) -> dict[int, str]:
        return {row.pk: self.cleaned_data.get(f"answer_{row.pk}", "") for row in self.answer_rows}

    def hypothesis_decision(self) -> tuple[HypothesisChange | None, str]:
        """The change this save would make to the record's working hypothesis (None when
        none), and the therapist's answer when asked: "change", "keep", or "" (not asked)."""
        change = hypothesis_change(
            client=self.client,
            hypothesis=self.cleaned_data["hypothesis"],
            on=self.cleaned_data["date"],
        )
        return change, self.data.get("hypothesis_on_record", "")

    def save_kwargs(self, *, change: HypothesisChange | None, decision: str) -> dict:
        """The valid form as exploration_save's arguments; the record's hypothesis follows
        unless the therapist chose to keep it."""
        return {
            "exploration": self.save(commit=False),
            "answers": self.answers(),
            "update_record": not change or decision == "change",
        }


class AddPromptsForm(forms.Form):
    prompts = PromptChoiceField(queryset=Prompt.objects.none(), label="Add prompts")

    def __init__(self, *args, prompts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prompts"].queryset = prompts


class PromptForm(forms.ModelForm):
    class Meta:
        model = Prompt
        fields = ["text", "theme", "dimension"]
        help_texts = {
            "text": "A sentence stem the client completes, e.g. “When I need comfort, I…”.",
            "dimension": "The dimension the stem mostly speaks to.",
        }


ITEM_LINE = re.compile(r"^\s*(?P<key>[a-z0-9_-]+)\s*(?P<rev>\(r\))?\s*:\s*(?P<text>.+?)\s*$", re.I)


class RatingScaleForm(forms.ModelForm):
    items_text = forms.CharField(
        label="Items",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One item per line as “subscale: item text”. Mark a reverse-keyed item with "
        "(R) after the subscale, e.g. “avoidance (R): I find it easy to depend on others.”",
    )

    class Meta:
        model = RatingScale
        fields = ["name", "instructions", "min_value", "max_value", "min_label", "max_label"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["items_text"] = "\n".join(
                f"{i.subscale}{' (R)' if i.reverse_keyed else ''}: {i.text}"
                for i in self.instance.items.all()
            )
        if locked:
            # Once clients have answered, changing items or the range would rescore their past.
            for name in ("items_text", "min_value", "max_value"):
                self.fields[name].disabled = True
            self.fields["items_text"].help_text = (
                "Clients have answered this scale, so its items and range are fixed. "
                "Retire it and define a new one to change them."
            )

    def clean(self):
        data = super().clean()
        lo, hi = data.get("min_value"), data.get("max_value")
        if lo is not None and hi is not None and not (hi > lo and hi - lo <= 20):
            self.add_error(
                "max_value", "The highest value must be above the lowest (at most 20 apart)."
            )
        return data

    def clean_items_text(self) -> list[tuple[str, bool, str]]:
        raw = self.cleaned_data["items_text"]
        if isinstance(raw, list):
            return raw
        items, bad = [], []
        for n, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            match = ITEM_LINE.match(line)
            if not match:
                bad.append(str(n))
                continue
            items.append((match["key"].lower(), bool(match["rev"]), match["text"][:300]))
        if bad:
            raise forms.ValidationError(
                f"Line {', '.join(bad)} does not read as “subscale: item text”."
            )
        if not items:
            raise forms.ValidationError("Add at least one item.")
        if len(items) > 100:
            raise forms.ValidationError("A scale can have at most 100 items.")
        return items

    def item_rows(self) -> list[ScaleItem]:
        return [
            ScaleItem(position=i, subscale=key, reverse_keyed=rev, text=text)
            for i, (key, rev, text) in enumerate(self.cleaned_data["items_text"], start=1)
        ]


def scale_choices(scale: RatingScale) -> list[tuple[int, str]]:
    """Each value with its label: a built-in measure's own response options ("2 · More than
    half the days"), or the bare number for a clinic scale."""
    values = range(scale.min_value, scale.max_value + 1)
    labels = scale.option_labels or []
    if len(labels) == len(values):
        return [(v, f"{v} · {label}") for v, label in zip(values, labels, strict=True)]
    return [(v, str(v)) for v in values]


class AdministerScaleForm(forms.Form):
    def __init__(self, *args, scale: RatingScale, items: list[ScaleItem], client, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale, self.items = scale, items
        self.fields["date"] = forms.DateField(widget=DateInput())
        self.fields["session"] = session_field(client)
        choices = scale_choices(scale)
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text,
                choices=choices,
                coerce=int,
                required=False,
                # No class of our own: crispy's radio template writes class="form-check-input"
                # itself, and a second class attribute is invalid HTML.
                widget=forms.RadioSelect,
            )

    def responses(self) -> dict[str, int]:
        return {
            str(item.pk): self.cleaned_data[f"item_{item.pk}"]
            for item in self.items
            if self.cleaned_data.get(f"item_{item.pk}") not in (None, "")
        }

    def administration_kwargs(self) -> dict:
        """The valid form as scale_administration_create's arguments."""
        return {
            "scale": self.scale,
            "date": self.cleaned_data["date"],
            "session": self.cleaned_data["session"],
            "responses": self.responses(),
        }

    def clean(self):
        data = super().clean()
        if not any(data.get(f"item_{i.pk}") not in (None, "") for i in self.items):
            raise forms.ValidationError("Record at least one answer.")
        return data
