"""Clearly fictional demo exercises for two of Ana's demo clients.

Call seed_exercises_demo() after clients.demo.seed_demo (the lead wires it into
seed_demo). Idempotent: a client who already has exercises is left alone.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from attachment_app.models import User
from clients.models import AttachmentStyle, Client, TherapySession
from exercises.models import (
    Exploration,
    ExplorationAnswer,
    Figure,
    FigureRole,
    LetterKind,
    MapTheme,
    RelationshipMap,
    ReparentingLetter,
    SafeSpaceKind,
    SafeSpacePlan,
    SafeSpacePractice,
    Tie,
    TieDirection,
    TieKind,
)
from exercises.services import (
    balanced_prompt_set,
    client_hypothesis_update,
    letter_save,
    prompts_for_clinic,
    relationship_map_snapshot,
)

DEMO_ANSWERS = [
    "(Demo) I go quiet and wait for it to pass.",
    "(Demo) Get tired of me eventually.",
    "(Demo) Start to look for reasons it won't work.",
    "(Demo) Hard. I would rather sort it out myself.",
    "(Demo) Check my phone a lot.",
    "(Demo) They remember the small things.",
    "(Demo) Tight, like my chest is holding on.",
    "(Demo) Busy, and told me not to make a fuss.",
]


def _session(client: Client, days_ago: int) -> TherapySession | None:
    target = timezone.localdate() - dt.timedelta(days=days_ago)
    return TherapySession.objects.filter(client=client, date__lte=target).order_by("-date").first()


def _explorations(client: Client, ana: User) -> None:
    prompts = balanced_prompt_set(list(prompts_for_clinic(client.clinic_id)))
    today = timezone.localdate()
    history = [(120, 6, 3, AttachmentStyle.NOT_YET_CLEAR), (30, 4, 3, AttachmentStyle.ANXIOUS)]
    for days_ago, anxiety, avoidance, hypothesis in history:
        exploration = Exploration.objects.create(
            client=client,
            therapist=ana,
            date=today - dt.timedelta(days=days_ago),
            session=_session(client, days_ago),
            hypothesis=hypothesis,
            anxiety_rating=anxiety,
            avoidance_rating=avoidance,
            observations="(Demo) Became animated describing waiting for replies; softened when "
            "talking about a grandparent.",
        )
        ExplorationAnswer.objects.bulk_create(
            [
                ExplorationAnswer(exploration=exploration, prompt=p, position=i, answer=a)
                for i, (p, a) in enumerate(zip(prompts, DEMO_ANSWERS, strict=False), start=1)
            ]
        )
        client_hypothesis_update(client=client, hypothesis=hypothesis, on=exploration.date)


def _relationship_map(client: Client, ana: User) -> None:
    today = timezone.localdate()
    rmap = RelationshipMap.objects.create(
        client=client,
        therapist=ana,
        title="Key relationships",
        date=today - dt.timedelta(days=60),
        session=_session(client, 60),
    )
    centre = Figure(
        map=rmap, role=FigureRole.CLIENT, label=client.preferred_name or client.legal_first_name
    )
    people = [
        centre,
        Figure(map=rmap, role=FigureRole.MOTHER, label="Mum (demo)", x=220, y=140),
        Figure(map=rmap, role=FigureRole.FATHER, label="Dad (demo)", x=580, y=140, deceased=True),
        Figure(map=rmap, role=FigureRole.PARTNER, label="Sam (demo)", x=620, y=380),
        Figure(map=rmap, role=FigureRole.FRIEND, label="Jo (demo)", x=180, y=420),
    ]
    Figure.objects.bulk_create(people)
    you, mum, dad, partner, friend = people
    Tie.objects.bulk_create(
        [
            Tie(
                map=rmap,
                source=mum,
                target=you,
                kind=TieKind.FOCUSED_ON,
                closeness=4,
                trust=2,
                tension=3,
                direction=TieDirection.ONE_WAY,
            ),
            Tie(
                map=rmap,
                source=you,
                target=dad,
                kind=TieKind.DISTANT,
                closeness=1,
                trust=2,
                tension=1,
            ),
            Tie(
                map=rmap,
                source=you,
                target=partner,
                kind=TieKind.CLOSE_CONFLICTED,
                closeness=4,
                trust=3,
                tension=4,
            ),
            Tie(
                map=rmap,
                source=you,
                target=friend,
                kind=TieKind.CLOSE,
                closeness=4,
                trust=4,
                tension=0,
            ),
        ]
    )
    theme = MapTheme.objects.create(
        map=rmap, name="(Demo) Fear of being a burden", note="Comes up with Mum and with Sam."
    )
    theme.figures.set([mum, partner])
    relationship_map_snapshot(
        rmap=rmap, user=ana, taken_on=today - dt.timedelta(days=60), label="Intake"
    )
    # Later in therapy: calmer with the partner, a new supportive figure.
    Tie.objects.filter(map=rmap, target=partner).update(tension=2, trust=4)
    Figure.objects.create(map=rmap, role=FigureRole.SIBLING, label="Alex (demo)", x=400, y=90)


def _letter(client: Client, ana: User) -> None:
    letter = ReparentingLetter(
        client=client,
        therapist=ana,
        kind=LetterKind.YOUNGER_SELF,
        title="To me at seven (demo)",
        younger_age=7,
        letter="(Demo) Dear little me, I know you tried so hard to be no trouble.",
    )
    letter_save(letter=letter, author=ana, autosave=False)
    letter.letter += " You were never too much. You deserved someone to notice you."
    letter.client_reflection = "(Demo) It felt strange, then kind."
    letter_save(letter=letter, author=ana, autosave=False)


def _safe_space(client: Client, ana: User) -> None:
    plan = SafeSpacePlan.objects.create(
        client=client,
        therapist=ana,
        kind=SafeSpaceKind.PLACE,
        name="The beach hut (demo)",
        description="(Demo) A small wooden hut with the door open to the sea.",
        seen="Grey-blue water, a striped towel.",
        heard="Waves, gulls far away.",
        smelled="Salt and sun cream.",
        felt="Warm planks under bare feet.",
        tasted="Lemonade.",
        cue_word="Tide",
        techniques=["feet_on_floor", "paced_breathing", "54321"],
        own_techniques="Hold the smooth stone from my pocket",
        session=_session(client, 45),
    )
    today = timezone.localdate()
    SafeSpacePractice.objects.bulk_create(
        [
            SafeSpacePractice(
                plan=plan,
                date=today - dt.timedelta(days=d),
                distress_before=before,
                distress_after=after,
            )
            for d, before, after in [(40, 8, 6), (30, 7, 4), (20, 7, 3), (10, 6, 3), (3, 5, 2)]
        ]
    )


@transaction.atomic
def seed_exercises_demo() -> int:
    """Give two of Ana's demo clients one or two exercises of each kind. Returns clients seeded."""
    ana = User.objects.filter(email="ana@demo.example").first()
    if ana is None:
        return 0
    clients = list(
        Client.objects.filter(primary_therapist=ana, status=Client.Status.ACTIVE).order_by(
            "legal_last_name", "legal_first_name"
        )[:2]
    )
    seeded = 0
    for client in clients:
        if RelationshipMap.objects.filter(client=client).exists():
            continue
        _explorations(client, ana)
        _relationship_map(client, ana)
        _letter(client, ana)
        _safe_space(client, ana)
        seeded += 1
    return seeded


@transaction.atomic
def seed_companion_demo(*, password: str) -> int:
    """Companion accounts for the two demo clients with exercises, with something shared.

    The first client has their safe space, letter and map's people shared and two practices
    of their own; the second their safe space only. Idempotent. Returns accounts created.
    """
    from clients.demo import DEMO_COMPANION_EMAILS
    from clients.models import ClientAccount
    from exercises.models import CompanionPractice, SharedItem, SharedKind
    from exercises.services.companion import (
        companion_letter_write,
        companion_practice_record,
        shared_item_share,
    )

    ana = User.objects.filter(email="ana@demo.example").first()
    if ana is None:
        return 0
    clients = list(
        Client.objects.filter(primary_therapist=ana, status=Client.Status.ACTIVE).order_by(
            "legal_last_name", "legal_first_name"
        )[:2]
    )
    created = 0
    for n, (client, email) in enumerate(zip(clients, DEMO_COMPANION_EMAILS, strict=False)):
        if ClientAccount.objects.filter(client=client).exists():
            continue
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=client.preferred_name or client.legal_first_name,
                clinic_id=client.clinic_id,
            )
        ClientAccount.objects.create(client=client, user=user, invited_by=ana)
        created += 1
        sources = [(SharedKind.SAFE_SPACE, SafeSpacePlan.objects.filter(client=client).first())]
        if n == 0:
            sources += [
                (SharedKind.LETTER, ReparentingLetter.objects.filter(client=client).first()),
                (SharedKind.MAP_PEOPLE, RelationshipMap.objects.filter(client=client).first()),
            ]
        for kind, source in sources:
            if (
                source is not None
                and not SharedItem.objects.filter(client=client)
                .filter(source_id=source.pk)
                .exists()
            ):
                shared_item_share(by=ana, client=client, kind=kind, source_id=source.pk)
        if n == 0 and not CompanionPractice.objects.filter(client=client).exists():
            for technique, before, after, note in [
                ("paced_breathing", 7, 4, "(Demo) Before a hard phone call."),
                ("safe_space", 6, 3, ""),
            ]:
                companion_practice_record(
                    by=user,
                    client=client,
                    technique=technique,
                    distress_before=before,
                    distress_after=after,
                    note=note,
                )
        if n == 0:
            companion_letter_write(
                by=user,
                client=client,
                body="(Demo) To me at eight: you were not too much. You were a child who "
                "needed someone to stay. I am learning to stay with you now.",
            )
        _seed_demo_check_ins(client=client, user=user, ana=ana, second=n == 1)
    return created


# Fictional answers (item 9 always 0): two completed check-ins and one waiting, per client.
DEMO_CHECK_INS = [
    ("phq9", 21, [1, 2, 1, 2, 1, 1, 1, 0, 0], 1),
    ("gad7", 14, [2, 2, 1, 1, 0, 1, 1], None),
    ("phq9", 7, [1, 1, 1, 1, 0, 1, 0, 0, 0], 1),
]


def _seed_demo_check_ins(*, client: Client, user: User, ana: User, second: bool) -> None:
    """Demo check-ins for a companion client: a PHQ-9 and a GAD-7 completed in the past
    weeks (the second client's answers a little lower), and a PHQ-9 waiting for them."""
    from exercises.models import CheckIn, RatingScale, ScaleAdministration
    from exercises.services.checkins import check_in_complete, check_in_schedule

    if CheckIn.objects.filter(client=client).exists():
        return
    today = timezone.localdate()
    scales = {s.builtin: s for s in RatingScale.objects.filter(builtin__in=["phq9", "gad7"])}
    if len(scales) < 2:
        return
    for key, days_ago, values, difficulty in DEMO_CHECK_INS[1 if second else 0 :]:
        scale = scales[key]
        if second:
            values = [max(0, v - 1) for v in values]
        day = today - dt.timedelta(days=days_ago)
        check_in = check_in_schedule(by=ana, client=client, scale=scale, due_date=day)
        responses = {str(i.pk): v for i, v in zip(scale.items.all(), values, strict=True)}
        done = check_in_complete(
            by=user, check_in=check_in, responses=responses, difficulty=difficulty
        )
        ScaleAdministration.objects.filter(pk=done.administration_id).update(date=day)
        CheckIn.objects.filter(pk=check_in.pk).update(
            scheduled_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
            completed_at=timezone.make_aware(dt.datetime.combine(day, dt.time(19))),
        )
    check_in_schedule(
        by=ana, client=client, scale=scales["phq9"], due_date=today + dt.timedelta(days=3)
    )
