"""Clearly fictional demo data: a demo clinic, its people and its clients."""

import datetime as dt
import random
import secrets

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from attachment_app.models import Clinic, User
from clients.demo_clinical import seed_clinical_demo, seed_supervision_demo
from clients.demo_consents import seed_demo_consents, seed_demo_releases
from clients.demo_discharge import seed_discharge_demo
from clients.models import AttachmentStyle, Client, ClientAssignment, ClientStatusChange

DEMO_CRISIS_LINE = (
    "Demo Clinic on-call line (fictional): 0100 000 000, any time. "
    "If you are in danger now, call your local emergency number."
)

FIRST_NAMES = [
    "Avery",
    "Blake",
    "Casey",
    "Dana",
    "Eden",
    "Finley",
    "Gray",
    "Harper",
    "Indigo",
    "Jordan",
    "Kai",
    "Lane",
    "Morgan",
    "Noa",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Tatum",
    "Umber",
    "Vale",
    "Wren",
    "Xen",
    "Yael",
    "Zephyr",
    "Rowan",
    "Emery",
    "Marlow",
    "Sutton",
]
LAST_NAMES = [
    "Example",
    "Sample",
    "Placeholder",
    "Demo",
    "Fictional",
    "Testwood",
    "Mockridge",
    "Pretendley",
    "Makebelieve",
    "Imaginary",
    "Storybrook",
    "Notreal",
    "Madeup",
    "Invented",
    "Dummyfield",
    "Fauxley",
    "Shamford",
    "Pseudon",
    "Likeness",
    "Standin",
]
PRONOUNS = ["she/her", "he/him", "they/them", ""]
REFERRALS = ["Self-referral", "GP referral", "Couples clinic", "Employee assistance", "Website"]
PRESENTING = [
    "Recurring conflict with partner; fear of being left.",
    "Difficulty trusting colleagues; withdraws when criticised.",
    "Low mood after the end of a long relationship.",
    "Feels 'too much' in relationships; seeks constant reassurance.",
    "Keeps people at a distance; finds closeness uncomfortable.",
]
RELATIONSHIP = [
    "Worries partner will lose interest; checks phone often.",
    "Ends relationships when they become serious.",
    "Describes friendships as intense then distant.",
    "Wants to feel safe asking for help.",
]
# Sent after the demo clinic is seeded, so apps downstream of clients (exercises)
# add their own demo records without clients importing them.
demo_seeded = Signal()

# The one status change each bulk-made client starts with, in a clinician's words.
STATUS_REASONS = {
    "waitlist": "Referral received; waiting for a place",
    "active": "Intake",
    "paused": "The client asked to pause",
    "discharged": "Treatment goals met",
}

DEMO_PEOPLE = [
    ("admin@demo.example", "Dee Admin (demo)", False, True),
    ("ana@demo.example", "Ana Demo-Therapist", True, False),
    ("ben@demo.example", "Ben Demo-Therapist", True, False),
]


# The demo clients' companion logins (made by exercises' demo, for two of Ana's clients).
DEMO_COMPANION_EMAILS = ["companion1@demo.example", "companion2@demo.example"]


def demo_companion_logins() -> list[tuple[str, str]]:
    """(login, whose companion) for each demo client account that exists."""
    from clients.models import ClientAccount

    accounts = ClientAccount.objects.filter(user__email__in=DEMO_COMPANION_EMAILS).select_related(
        "user", "client"
    )
    return sorted((a.user.email, a.client.display_name) for a in accounts)


def demo_password(explicit: str | None, from_env: str | None) -> tuple[str, bool]:
    """The password to use, and whether it was generated (so it must be printed)."""
    if explicit:
        return explicit, False
    if from_env:
        return from_env, False
    return secrets.token_urlsafe(12), True


def _person(email: str, name: str, clinic: Clinic, therapist: bool, admin: bool, pw: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    user.full_name = name
    user.clinic = clinic
    user.is_therapist = therapist
    user.is_clinic_admin = admin
    user.set_password(pw)
    user.save()
    return user


@transaction.atomic
def seed_demo(*, password: str, clients: int, rng_seed: int = 7) -> dict[str, int]:
    demo, _ = Clinic.objects.get_or_create(name="Demo Clinic")
    if not demo.crisis_line:
        # Fictional: the demo shows where a clinic's own crisis line appears.
        demo.crisis_line = DEMO_CRISIS_LINE
        demo.save(update_fields=["crisis_line"])
    other, _ = Clinic.objects.get_or_create(name="Other Clinic")
    people = [_person(e, n, demo, t, a, password) for e, n, t, a in DEMO_PEOPLE]
    therapists = [p for p in people if p.is_therapist]
    admin = people[0]
    _person("olivia@other.example", "Olivia Other-Clinic", other, True, True, password)

    existing = Client.objects.filter(clinic=demo).count()
    to_create = max(0, clients - existing)
    rng = random.Random(rng_seed + existing)
    now = timezone.now()
    today = timezone.localdate()
    new_clients = []
    for i in range(to_create):
        waitlisted = rng.random() < 0.15
        status = (
            Client.Status.WAITLIST
            if waitlisted
            else rng.choices(
                [Client.Status.ACTIVE, Client.Status.PAUSED, Client.Status.DISCHARGED], [8, 1, 1]
            )[0]
        )
        intake = today - dt.timedelta(days=rng.randint(3, 700))
        new_clients.append(
            Client(
                clinic=demo,
                legal_first_name=rng.choice(FIRST_NAMES),
                legal_last_name=f"{rng.choice(LAST_NAMES)}-{existing + i + 1}",
                pronouns=rng.choice(PRONOUNS),
                date_of_birth=dt.date(
                    rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)
                ),
                email=f"client{existing + i + 1}@fictional.example",
                phone=f"555-01{rng.randint(0, 99):02d}",
                status=status,
                status_changed_at=now - dt.timedelta(days=rng.randint(0, 60)),
                intake_date=intake,
                referral_source=rng.choice(REFERRALS),
                presenting_concerns=rng.choice(PRESENTING),
                relationship_concerns=rng.choice(RELATIONSHIP),
                suits_relationship_problems=rng.random() < 0.7,
                suits_childhood_unmet_needs=rng.random() < 0.4,
                suits_link_childhood_present=rng.random() < 0.5,
                attachment_hypothesis=rng.choice(AttachmentStyle.values),
                primary_therapist=None if waitlisted else therapists[i % len(therapists)],
            )
        )
    Client.objects.bulk_create(new_clients, batch_size=1000)
    ClientStatusChange.objects.bulk_create(
        [
            ClientStatusChange(
                client=c,
                to_status=c.status,
                changed_by=admin,
                changed_at=c.status_changed_at,
                reason=STATUS_REASONS[c.status],
            )
            for c in new_clients
        ],
        batch_size=1000,
    )
    ClientAssignment.objects.bulk_create(
        [
            ClientAssignment(
                client=c,
                therapist=c.primary_therapist,
                assigned_by=admin,
                reason="Initial assignment",
                started_at=c.status_changed_at,
            )
            for c in new_clients
            if c.primary_therapist is not None
        ],
        batch_size=1000,
    )
    clinical = seed_clinical_demo(therapists=therapists)
    # Ben is pre-licensed: Ana co-signs his notes, and a few wait in her review queue.
    by_email = {p.email: p for p in people}
    clinical |= seed_supervision_demo(
        admin=admin,
        supervisor=by_email["ana@demo.example"],
        supervisee=by_email["ben@demo.example"],
    )
    clinical["consents"] = seed_demo_consents(clinic=demo)
    clinical["release_requests"] = seed_demo_releases(clinic=demo)
    clinical["discharged"] = seed_discharge_demo(therapist=by_email["ana@demo.example"])
    demo_seeded.send(sender=seed_demo, clinic=demo, password=password)
    return {"created": to_create, "total": existing + to_create, **clinical}
