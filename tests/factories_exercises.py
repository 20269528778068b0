import datetime as dt

import factory
from factory.django import DjangoModelFactory

from clients.models import TherapySession
from exercises.models import (
    Exploration,
    Figure,
    FigureRole,
    LetterKind,
    MapSnapshot,
    MapTheme,
    Prompt,
    RatingScale,
    RelationshipMap,
    ReparentingLetter,
    SafeSpacePlan,
    SafeSpacePractice,
    ScaleItem,
    Tie,
)
from exercises.services import letter_save, relationship_map_snapshot


class TherapySessionFactory(DjangoModelFactory):
    class Meta:
        model = TherapySession

    therapist = factory.SelfAttribute("client.primary_therapist")
    date = dt.date(2026, 3, 2)


class ExplorationFactory(DjangoModelFactory):
    class Meta:
        model = Exploration

    therapist = factory.SelfAttribute("client.primary_therapist")


class RelationshipMapFactory(DjangoModelFactory):
    class Meta:
        model = RelationshipMap

    therapist = factory.SelfAttribute("client.primary_therapist")


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = Figure

    role = FigureRole.FRIEND
    label = factory.Sequence(lambda n: f"Friend {n}")


class ReparentingLetterFactory(DjangoModelFactory):
    class Meta:
        model = ReparentingLetter

    therapist = factory.SelfAttribute("client.primary_therapist")
    kind = LetterKind.YOUNGER_SELF
    letter = "Dear younger me."


class SafeSpacePlanFactory(DjangoModelFactory):
    class Meta:
        model = SafeSpacePlan

    therapist = factory.SelfAttribute("client.primary_therapist")
    kind = "place"
    name = "The garden"


def first_map(client) -> RelationshipMap:
    """One map per client, so a URL with a map and a figure names a figure of that map."""
    rmap = RelationshipMap.objects.filter(client=client).order_by("created_at").first()
    return rmap or RelationshipMapFactory(client=client)


def figure_of(client) -> Figure:
    rmap = first_map(client)
    return rmap.figures.first() or FigureFactory(map=rmap)


def tie_of(client) -> Tie:
    rmap = first_map(client)
    tie = rmap.ties.first()
    if tie:
        return tie
    return Tie.objects.create(
        map=rmap, source=figure_of(client), target=FigureFactory(map=rmap, label="Other")
    )


def theme_of(client) -> MapTheme:
    rmap = first_map(client)
    return rmap.themes.first() or MapTheme.objects.create(map=rmap, name="A theme")


def snapshot_of(client) -> MapSnapshot:
    rmap = first_map(client)
    return rmap.snapshots.first() or relationship_map_snapshot(
        rmap=rmap, user=client.primary_therapist, taken_on=dt.date(2026, 1, 5)
    )


def first_letter(client) -> ReparentingLetter:
    letter = ReparentingLetter.objects.filter(client=client).first()
    return letter or ReparentingLetterFactory(client=client)


def revision_of(client):
    letter = first_letter(client)
    return letter.revisions.first() or letter_save(
        letter=letter, author=client.primary_therapist, autosave=False
    )


def first_plan(client) -> SafeSpacePlan:
    plan = SafeSpacePlan.objects.filter(client=client).first()
    return plan or SafeSpacePlanFactory(client=client)


def practice_of(client) -> SafeSpacePractice:
    plan = first_plan(client)
    return plan.practices.first() or SafeSpacePractice.objects.create(
        plan=plan, distress_before=7, distress_after=4
    )


def clinic_prompt(client) -> Prompt:
    prompt = Prompt.objects.filter(clinic=client.clinic).first()
    return prompt or Prompt.objects.create(
        clinic=client.clinic, text="When I am tired, I…", theme="emotion", dimension="both"
    )


def clinic_scale(client) -> RatingScale:
    scale = RatingScale.objects.filter(clinic=client.clinic).first()
    if scale:
        return scale
    scale = RatingScale.objects.create(
        clinic=client.clinic, name="Our scale", created_by=client.primary_therapist
    )
    ScaleItem.objects.create(scale=scale, position=1, text="I worry.", subscale="anxiety")
    return scale


def first_exploration(client) -> Exploration:
    return Exploration.objects.filter(client=client).first() or ExplorationFactory(client=client)


def shared_letter_of(client):
    """A copy of the client's first letter, shared with their companion."""
    from exercises.models import SharedItem, SharedKind
    from exercises.services.companion import shared_item_share

    letter = first_letter(client)
    shared = SharedItem.objects.current().filter(client=client, source_id=letter.pk).first()
    return shared or shared_item_share(
        by=client.primary_therapist, client=client, kind=SharedKind.LETTER, source_id=letter.pk
    )


def check_in_of(client):
    """A GAD-7 check-in scheduled for the client's companion (still to be completed)."""
    import datetime as dt

    from exercises.models import CheckIn, RatingScale
    from exercises.services.checkins import check_in_schedule

    existing = CheckIn.objects.filter(client=client).first()
    return existing or check_in_schedule(
        by=client.primary_therapist,
        client=client,
        scale=RatingScale.objects.get(builtin="gad7"),
        due_date=dt.date.today(),
    )
