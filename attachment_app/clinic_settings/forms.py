"""The clinic settings form: sections a clinic admin understands, a range beside each number."""

import zoneinfo
from dataclasses import dataclass

from django import forms

from attachment_app.models import Clinic


@dataclass(frozen=True)
class Range:
    low: int
    high: int
    unit: str

    @property
    def text(self) -> str:
        return f"{self.low} to {self.high} {self.unit}"


# Each number the page sets, and what a clinic may choose for it.
RANGES: dict[str, Range] = {
    "idle_timeout_minutes": Range(5, 60, "minutes"),
    "late_entry_hours": Range(1, 336, "hours"),
    "future_entry_grace_hours": Range(0, 48, "hours"),
    "no_session_alert_days": Range(1, 365, "days"),
    "plan_review_interval_days": Range(14, 365, "days"),
    "export_retention_days": Range(1, 365, "days"),
    "retention_years_adult": Range(1, 50, "years"),
    "retention_years_minor": Range(1, 50, "years"),
}

SECTIONS: list[tuple[str, str, list[str]]] = [
    (
        "signing-in",
        "Signing in",
        ["mfa_required", "mfa_methods", "idle_timeout_minutes"],
    ),
    (
        "notes",
        "Notes and plans",
        [
            "default_note_format",
            "extra_techniques",
            "late_entry_hours",
            "future_entry_grace_hours",
            "plan_review_interval_days",
            "no_session_alert_days",
        ],
    ),
    ("dates", "Dates and times", ["time_zone", "date_format"]),
    ("appointments", "Appointments", ["late_cancel_window_hours"]),
    (
        "retention",
        "Keeping records",
        ["retention_years_adult", "retention_years_minor", "export_retention_days"],
    ),
    ("clients", "For clients", ["crisis_line"]),
]

FIELDS = [name for _, _, names in SECTIONS for name in names]

LABELS = {
    "mfa_required": "Everyone signs in with a second factor",
    "mfa_methods": "Second factors accepted",
    "idle_timeout_minutes": "Sign out after this long without activity (minutes)",
    "default_note_format": "Default note format",
    "extra_techniques": "Techniques the clinic adds",
    "late_entry_hours": "A note signed later than this is a late entry (hours)",
    "future_entry_grace_hours": "Grace for future-dated entries (hours)",
    "plan_review_interval_days": "Plan review interval (days)",
    "no_session_alert_days": "Flag clients with no session for (days)",
    "time_zone": "Time zone",
    "date_format": "Date format",
    "retention_years_adult": "Keep an adult's closed record for (years)",
    "retention_years_minor": "Keep a minor's closed record, from coming of age, for (years)",
    "export_retention_days": "Delete exported documents after (days)",
    "crisis_line": "Crisis line",
    "late_cancel_window_hours": "A client's cancellation closer than this is late",
}

CRISIS_LINE_MAX = 500
EXTRA_TECHNIQUES_MAX = 2000


def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(n for n in zoneinfo.available_timezones() if "/" in n or n == "UTC")
    return [(n, n.replace("_", " ")) for n in names]


class ClinicSettingsForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = FIELDS
        labels = LABELS
        widgets = {
            "mfa_methods": forms.RadioSelect,
            "extra_techniques": forms.Textarea(attrs={"rows": 3}),
            "crisis_line": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.ChoiceField(
            label=LABELS["time_zone"],
            choices=time_zone_choices(),
            help_text="Pages and documents show times in this zone.",
        )
        # A callable model default would add a hidden "initial" twin (and its aria attribute).
        for field in self.fields.values():
            field.show_hidden_initial = False
        for name, allowed in RANGES.items():
            field = self.fields[name]
            field.min_value, field.max_value = allowed.low, allowed.high
            field.widget.attrs.update(min=allowed.low, max=allowed.high, inputmode="numeric")
            field.help_text = f"Allowed: {allowed.text}. {self.fields[name].help_text}".strip()
        self.fields[
            "crisis_line"
        ].help_text = f"Up to {CRISIS_LINE_MAX} characters. {self.fields['crisis_line'].help_text}"
        self.fields["extra_techniques"].help_text = (
            f"One per line, up to {EXTRA_TECHNIQUES_MAX} characters. "
            "They join the session form's list."
        )

    def clean(self):
        cleaned = super().clean()
        # A callable model default would add a hidden "initial" twin (and its aria attribute).
        for field in self.fields.values():
            field.show_hidden_initial = False
        for name, allowed in RANGES.items():
            value = cleaned.get(name)
            if name in self.errors:
                # One plain message beside the field, in the same words as its range.
                self.errors[name] = self.error_class([f"Choose {allowed.text}."])
            elif value is None or not allowed.low <= value <= allowed.high:
                self.add_error(name, f"Choose {allowed.text}.")
        if len(cleaned.get("crisis_line") or "") > CRISIS_LINE_MAX:
            self.add_error(
                "crisis_line", f"Keep the crisis line under {CRISIS_LINE_MAX} characters."
            )
        text = cleaned.get("extra_techniques") or ""
        if len(text) > EXTRA_TECHNIQUES_MAX:
            self.add_error(
                "extra_techniques", f"Keep the list under {EXTRA_TECHNIQUES_MAX} characters."
            )
        return cleaned

    def sections(self) -> list[dict]:
        return [
            {"id": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in SECTIONS
        ]
