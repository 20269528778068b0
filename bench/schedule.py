"""The schedule: forty appointments in the therapist's bench week, and the week view.

Target (issue 17): the week view with 40 appointments within 8x of the page floor.
"""

import datetime as dt

from bench.pages import page_case
from bench.seed import Seeded, Size, seeder

WEEK = dt.date(2027, 1, 4)  # a Monday
APPOINTMENTS = 40


@seeder("a week of 40 appointments for the therapist")
def seed_week(seeded: Seeded, size: Size) -> dict[str, int]:
    from clients.models import Appointment, Client, Room

    rooms = [Room.objects.get_or_create(clinic=seeded.clinic, name=f"Room {n}")[0] for n in (1, 2)]
    clients = list(Client.objects.filter(primary_therapist=seeded.therapist).order_by("pk")[:40])
    start = dt.datetime.combine(WEEK, dt.time(8), tzinfo=dt.UTC)
    rows = []
    for i in range(APPOINTMENTS):
        day, slot = divmod(i, 8)  # eight a day, Monday to Friday, on the hour
        starts_at = start + dt.timedelta(days=day, hours=slot)
        rows.append(
            Appointment(
                client=clients[i % len(clients)],
                clinician=seeded.therapist,
                created_by=seeded.therapist,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=50),
                length_minutes=50,
                room=rooms[i % 3] if i % 3 < 2 else None,
                status="attended" if i % 5 == 0 else "scheduled",
            )
        )
    Appointment.objects.bulk_create(rows)
    return {"appointments": len(rows)}


page_case("week view, 40 appointments", lambda s: f"/schedule/?week={WEEK.isoformat()}", target=8)
page_case(
    "week view as a list, 40 appointments",
    lambda s: f"/schedule/?week={WEEK.isoformat()}&view=list",
    target=8,
)
