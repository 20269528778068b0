"""Booking, moving and cancelling forms; every choice scoped by clients/access.py.

The date and time are typed on the clinic's clock and turned into UTC here; a service's
refusal (a clash) is shown beside the time, with everything typed kept.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from attachment_app.ids import ModelChoiceField
from attachment_app.models import User
from clients.access import (
    clients_visible_to,
    clinicians_for_booking,
    rooms_managed_by,
    rooms_of_clinic,
)
from clients.forms.common import DATE
from clients.models import Appointment, AppointmentKind, Client, Frequency
from clients.services.appointments import (
    BY_CLIENT,
    BY_CLINICIAN,
    FOLLOWING,
    THIS,
    UNMARK_REASONS,
    local_to_utc,
)

TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
NO_REPEAT = ""
BACK_DAYS = 31  # a missed booking of the last weeks may still be entered
AHEAD_DAYS = 3 * 365


class ClientChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Client) -> str:
        return obj.display_name


class ClinicianChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class WhenAndWhere(forms.Form):
    """Date, time, length and place: shared by booking and moving."""

    date = forms.DateField(widget=DATE)
    time = forms.TimeField(widget=TIME, help_text="On the clinic's clock.")
    length_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=480, initial=50
    )
    room = ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Video",
        label="Place",
        help_text="A room of the clinic, or by video.",
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms_of_clinic(user)

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day < today - dt.timedelta(days=BACK_DAYS):
            raise ValidationError(
                f"Appointments more than {BACK_DAYS} days past are not booked here; "
                "log the session instead."
            )
        if day > today + dt.timedelta(days=AHEAD_DAYS):
            raise ValidationError("Choose a date within the next three years.")
        return day

    def starts_at(self) -> dt.datetime:
        return local_to_utc(
            day=self.cleaned_data["date"],
            time=self.cleaned_data["time"],
            zone=self.user.clinic.time_zone,
        )

    def add_service_error(self, error: ValidationError) -> None:
        """A service's refusal beside the field it names (a clash beside the time)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            field = "time" if field == "starts_at" else field
            self.add_error(field if field in self.fields else None, messages)


class AppointmentForm(WhenAndWhere):
    client = ClientChoiceField(queryset=None)
    clinician = ClinicianChoiceField(queryset=None)
    kind = forms.ChoiceField(choices=AppointmentKind.choices, initial=AppointmentKind.SESSION)
    repeat = forms.ChoiceField(
        choices=[(NO_REPEAT, "Does not repeat"), *Frequency.choices], required=False
    )
    until = forms.DateField(
        widget=DATE,
        required=False,
        label="Repeat until (optional)",
        help_text="Leave empty to keep booking ahead until the series is ended.",
    )

    field_order = [
        "client",
        "clinician",
        "date",
        "time",
        "length_minutes",
        "room",
        "kind",
        "repeat",
        "until",
    ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["client"].queryset = (
            clients_visible_to(user)
            .exclude(status=Client.Status.DISCHARGED)
            .order_by("legal_last_name", "legal_first_name", "pk")
        )
        self.fields["clinician"].queryset = clinicians_for_booking(user).order_by("full_name")

    def clean(self):
        data = super().clean()
        until, day = data.get("until"), data.get("date")
        if until and not data.get("repeat"):
            self.add_error("until", "Only a repeating appointment has a last date.")
        elif until and day and until < day:
            self.add_error("until", "The last date must be on or after the first.")
        elif until and until > timezone.localdate() + dt.timedelta(days=AHEAD_DAYS):
            self.add_error("until", "Choose a last date within the next three years.")
        return data

    def booking(self) -> dict:
        """The cleaned booking, ready for the service: a repeating one carries its
        `frequency` and `until` (appointment_series_book), a single one does not."""
        data = self.cleaned_data
        booking = {
            "client": data["client"],
            "clinician": data["clinician"],
            "starts_at": self.starts_at(),
            "length_minutes": data["length_minutes"],
            "room": data["room"],
            "kind": data["kind"],
        }
        if data["repeat"]:
            booking |= {"frequency": data["repeat"], "until": data["until"]}
        return booking


class MoveForm(WhenAndWhere):
    scope = forms.ChoiceField(
        choices=[(THIS, "Only this appointment"), (FOLLOWING, "This and the following ones")],
        widget=forms.RadioSelect,
        initial=THIS,
        label="Which appointments",
        help_text=(
            "With the following ones, an appointment already moved on its own keeps its time "
            "and room, and attended, missed or cancelled ones stay as they are."
        ),
    )

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            local = timezone.localtime(appointment.starts_at)
            self.initial = {
                "date": local.date(),
                "time": local.time(),
                "length_minutes": appointment.length_minutes,
                "room": appointment.room_id,
                **self.initial,
            }
        if appointment.series_id is None:
            del self.fields["scope"]

    def move(self) -> dict:
        """The cleaned move, ready for appointment_move (one alone when not in a series)."""
        return {
            "starts_at": self.starts_at(),
            "length_minutes": self.cleaned_data["length_minutes"],
            "room": self.cleaned_data["room"],
            "scope": self.cleaned_data.get("scope") or THIS,
        }


class CancelForm(forms.Form):
    by_whom = forms.ChoiceField(
        choices=[(BY_CLIENT, "The client"), (BY_CLINICIAN, "The clinician or the clinic")],
        widget=forms.RadioSelect,
        label="Who cancelled",
    )
    scope = forms.ChoiceField(
        choices=[(THIS, "Only this appointment"), (FOLLOWING, "This and the following ones")],
        widget=forms.RadioSelect,
        initial=THIS,
        label="Which appointments",
    )

    def __init__(self, *args, appointment: Appointment, **kwargs):
        super().__init__(*args, **kwargs)
        hours = appointment.client.clinic.late_cancel_window_hours
        self.fields["by_whom"].help_text = (
            f"A client's cancellation less than {hours} hours before the start is recorded "
            "as a late cancellation."
        )
        if appointment.series_id is None:
            del self.fields["scope"]

    def cancellation(self) -> dict:
        """The cleaned cancellation, ready for appointment_cancel."""
        return {
            "by_whom": self.cleaned_data["by_whom"],
            "scope": self.cleaned_data.get("scope") or THIS,
        }


class UnmarkForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[(key, label.capitalize()) for key, label in UNMARK_REASONS.items()],
        widget=forms.RadioSelect,
        label="Why the mark was wrong",
        help_text="Recorded in the audit trail with who set it back.",
    )


class RoomForm(forms.Form):
    name = forms.CharField(max_length=80, label="New room's name")


class RoomToggleForm(forms.Form):
    room = ModelChoiceField(queryset=None)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms_managed_by(user)
