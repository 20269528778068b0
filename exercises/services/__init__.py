"""Changes to exercises. Keyword-only, each inside one transaction."""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, Clinic, User
from clients.future_entries import refuse_future_date
from clients.models import AttachmentStyle, Client, TherapySession
from exercises.maps import client_figure_label, map_data
from exercises.models import (
    Exploration,
    ExplorationAnswer,
    Figure,
    FigureRole,
    LetterRevision,
    MapSnapshot,
    Prompt,
    RatingScale,
    RelationshipMap,
    ReparentingLetter,
    ScaleAdministration,
)
from exercises.models.maps import CANVAS_HEIGHT, CANVAS_WIDTH

ARTICLE_STEMS = ("When I'm upset, I usually…", "I worry that others will…")
DEFAULT_SET_SIZE = 8


def prompts_for_clinic(clinic_id: int | None) -> QuerySet[Prompt]:
    """Prompts a clinic may choose from: shipped ones it has not retired, and its own."""
    return (
        Prompt.objects.filter(Q(clinic=None) | Q(clinic_id=clinic_id), is_retired=False)
        .exclude(retired_in__id=clinic_id)
        .order_by("theme", "id")
    )


def balanced_prompt_set(prompts: list[Prompt], size: int = DEFAULT_SET_SIZE) -> list[Prompt]:
    """The article's two stems, then alternate anxiety/avoidance/both across different themes."""
    chosen = [p for p in prompts if p.text in ARTICLE_STEMS]
    themes = {p.theme for p in chosen}
    order = ["anxiety", "avoidance", "both"]
    pools = {d: [p for p in prompts if p.dimension == d and p not in chosen] for d in order}
    turn = 0
    while len(chosen) < size and any(pools.values()):
        pool = pools[order[turn % 3]]
        turn += 1
        if not pool:
            continue
        pick = next((p for p in pool if p.theme not in themes), pool[0])
        pool.remove(pick)
        chosen.append(pick)
        themes.add(pick.theme)
    return chosen


@transaction.atomic
def exploration_start(
    *,
    client: Client,
    therapist: User,
    date: dt.date,
    session: TherapySession | None,
    prompts: list[Prompt],
    request: HttpRequest | None = None,
) -> Exploration:
    """A new exploration with its prompts; audited when a person starts it (a request)."""
    exploration = Exploration.objects.create(
        client=client, therapist=therapist, date=date, session=session
    )
    exploration_prompts_add(exploration=exploration, prompts=prompts)
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=exploration,
            summary="Attachment style exploration",
        )
    return exploration


@transaction.atomic
def exploration_prompts_add(*, exploration: Exploration, prompts: list[Prompt]) -> None:
    have = set(exploration.answers.values_list("prompt_id", flat=True))
    start = exploration.answers.aggregate(m=Max("position"))["m"] or 0
    ExplorationAnswer.objects.bulk_create(
        [
            ExplorationAnswer(exploration=exploration, prompt=p, position=start + i)
            for i, p in enumerate((p for p in prompts if p.pk not in have), start=1)
        ]
    )


@transaction.atomic
def exploration_save(
    *,
    exploration: Exploration,
    answers: dict[int, str],
    update_record: bool = True,
    request: HttpRequest | None = None,
) -> Exploration:
    """Save the exploration and its answers; the newest dated hypothesis updates the client
    unless the therapist chose to keep the record's hypothesis (update_record=False).
    Audited when a person saves it (a request)."""
    exploration.save()
    rows = list(exploration.answers.all())
    for row in rows:
        if row.pk in answers:
            row.answer = answers[row.pk]
    ExplorationAnswer.objects.bulk_update(rows, ["answer"])
    if update_record:
        client_hypothesis_update(
            client=exploration.client, hypothesis=exploration.hypothesis, on=exploration.date
        )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=exploration.client_id,
            obj=exploration,
            summary="Attachment style exploration",
        )
    return exploration


@transaction.atomic
def client_hypothesis_update(*, client: Client, hypothesis: str, on: dt.date) -> bool:
    """Record the working hypothesis on the client unless a later-dated one is already there."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.attachment_hypothesis_date and locked.attachment_hypothesis_date > on:
        return False
    if hypothesis == AttachmentStyle.NOT_YET_CLEAR and locked.attachment_hypothesis_date is None:
        return False
    locked.attachment_hypothesis = hypothesis
    locked.attachment_hypothesis_date = on
    locked.save(update_fields=["attachment_hypothesis", "attachment_hypothesis_date", "updated_at"])
    client.attachment_hypothesis = hypothesis
    client.attachment_hypothesis_date = on
    return True


@transaction.atomic
def prompt_retired_set(*, prompt: Prompt, clinic: Clinic, retired: bool) -> None:
    """Retire or restore a prompt for one clinic. Old explorations keep showing its text."""
    if prompt.is_shipped:
        if retired:
            prompt.retired_in.add(clinic)
        else:
            prompt.retired_in.remove(clinic)
    else:
        prompt.is_retired = retired
        prompt.save(update_fields=["is_retired"])


@transaction.atomic
def relationship_map_create(
    *,
    client: Client,
    therapist: User,
    title: str,
    date: dt.date,
    session: TherapySession | None,
    notes: str = "",
) -> RelationshipMap:
    rmap = RelationshipMap.objects.create(
        client=client, therapist=therapist, title=title, date=date, session=session, notes=notes
    )
    Figure.objects.create(
        map=rmap,
        role=FigureRole.CLIENT,
        label=client_figure_label(rmap),
        x=CANVAS_WIDTH // 2,
        y=CANVAS_HEIGHT // 2,
    )
    return rmap


@transaction.atomic
def scale_administration_create(
    *,
    client: Client,
    therapist: User,
    scale: RatingScale,
    date: dt.date,
    session: TherapySession | None,
    responses: dict[str, int],
    request: HttpRequest | None = None,
) -> ScaleAdministration:
    """The client's answers to a rating scale on a date; audited when a person records them."""
    administration = ScaleAdministration.objects.create(
        client=client,
        therapist=therapist,
        scale=scale,
        date=date,
        session=session,
        responses=responses,
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=administration,
            summary="Rating scale answers",
        )
    return administration


# The browser editor saves every drag: one audit row per editing burst, not per drag.
MAP_EDIT_BURST = dt.timedelta(minutes=10)
MAP_EDITED = "Relationship map edited"


@transaction.atomic
def relationship_map_edit_audit(
    *,
    rmap: RelationshipMap,
    by: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent | None:
    """Audit an edit from the browser editor, unless the same person's last edit row for
    this map is younger than MAP_EDIT_BURST (the trail is append-only: a burst is not
    extended, its later drags are covered by its first row). The first edit, and the
    first after a pause, are audited; None when the burst already is."""
    # Two saves at once (two tabs, a double drag) would both find no row: the map's own
    # row lock puts the second after the first, which then sees the first's row.
    list(RelationshipMap.objects.select_for_update().filter(pk=rmap.pk).values_list("pk"))
    since = (now or timezone.now()) - MAP_EDIT_BURST
    in_burst = AuditEvent.objects.filter(
        actor=by,
        action=AuditEvent.Action.CHANGE,
        object_type=type(rmap).__name__,
        object_id=str(rmap.pk),
        summary=MAP_EDITED,
        created_at__gte=since,
    )
    if in_burst.exists():
        return None
    return audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=rmap.client_id,
        obj=rmap,
        summary=MAP_EDITED,
    )


@transaction.atomic
def relationship_map_snapshot(
    *,
    rmap: RelationshipMap,
    user: User,
    taken_on: dt.date,
    label: str = "",
    request: HttpRequest | None = None,
) -> MapSnapshot:
    """Keep the map as it is today; audited when a person takes it (a request)."""
    refuse_future_date(clinic=rmap.client.clinic, date=taken_on, field="taken_on")
    data = map_data(rmap)
    data["date"] = taken_on.isoformat()
    snapshot = MapSnapshot.objects.create(
        map=rmap, taken_on=taken_on, label=label, data=data, created_by=user
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=rmap.client_id,
            obj=snapshot,
            summary="Relationship map snapshot",
        )
    return snapshot


def _revision_texts(letter: ReparentingLetter) -> dict[str, str]:
    return {
        "experience": letter.experience,
        "letter_text": letter.letter,
        "client_reflection": letter.client_reflection,
        "therapist_reflection": letter.therapist_reflection,
    }


@transaction.atomic
def letter_restore(
    *, letter: ReparentingLetter, revision: LetterRevision, author: User
) -> LetterRevision | None:
    """Bring back an earlier version's texts as a new version; nothing is overwritten.

    A working draft still open is settled first, so it stays in the history as it was.
    Returns the new version, or None when the letter already reads as that version."""
    ReparentingLetter.objects.select_for_update().filter(pk=letter.pk).first()
    latest = letter.revisions.order_by("-number").first()
    texts = {
        "experience": revision.experience,
        "letter_text": revision.letter_text,
        "client_reflection": revision.client_reflection,
        "therapist_reflection": revision.therapist_reflection,
    }
    if latest is not None and all(getattr(latest, f) == v for f, v in texts.items()):
        return None
    if latest is not None and latest.is_autosave:
        latest.is_autosave = False
        latest.save(update_fields=["is_autosave"])
    letter.experience = revision.experience
    letter.letter = revision.letter_text
    letter.client_reflection = revision.client_reflection
    letter.therapist_reflection = revision.therapist_reflection
    return letter_save(letter=letter, author=author, autosave=False)


@transaction.atomic
def letter_save(
    *,
    letter: ReparentingLetter,
    author: User,
    autosave: bool,
    request: HttpRequest | None = None,
) -> LetterRevision:
    """Save the letter and keep a version; audited when a person saves it (a request).

    Autosaves refresh one working version, so typing does not leave hundreds of
    versions; an explicit save settles it, and the next edit starts a new one.
    """
    is_new = letter._state.adding
    letter.save()
    revision = _letter_version_keep(letter=letter, author=author, autosave=autosave)
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.CHANGE,
            client_id=letter.client_id,
            obj=letter,
            summary="Reparenting letter",
        )
    return revision


def _letter_version_keep(
    *, letter: ReparentingLetter, author: User, autosave: bool
) -> LetterRevision:
    ReparentingLetter.objects.select_for_update().filter(pk=letter.pk).first()
    latest = letter.revisions.order_by("-number").first()
    texts = _revision_texts(letter)
    if latest is not None and latest.is_autosave:
        for field, value in texts.items():
            setattr(latest, field, value)
        latest.is_autosave = autosave
        latest.author = author
        latest.save()
        return latest
    if latest is not None and all(getattr(latest, f) == v for f, v in texts.items()):
        return latest
    return LetterRevision.objects.create(
        letter=letter,
        number=(latest.number + 1) if latest else 1,
        is_autosave=autosave,
        author=author,
        **texts,
    )
