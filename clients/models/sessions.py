import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from attachment_app.fields import EncryptedTextField
from attachment_app.ids import url_by_ids
from attachment_app.models import NoteFormat
from clients.models.clients import Client
from clients.models.locking import LockedQuerySet, SignedLockMixin, SignedRecordLocked


def session_start(date: dt.date, start_time: dt.time | None) -> dt.datetime:
    """A session's start as an aware datetime (midday when no time was recorded)."""
    return timezone.make_aware(dt.datetime.combine(date, start_time or dt.time(12, 0)))


class Technique(models.TextChoices):
    INNER_CHILD = "inner_child", "Inner child work"
    EMOTION_FOCUSED = "emotion_focused", "Emotion-focused techniques"
    MINDFULNESS = "mindfulness", "Mindfulness and body awareness"
    CORRECTIVE = "corrective", "Corrective emotional experiences"
    # The app's own exercises, as a clinician would name them in a note.
    EXPLORATION = "exploration", "Exploring attachment history"
    RELATIONSHIP_MAPPING = "relationship_mapping", "Relationship mapping"
    REPARENTING_LETTER = "reparenting_letter", "Reparenting letter"
    SAFE_SPACE = "safe_space", "Safe-space and grounding"
    OTHER = "other", "Other (named)"


# A technique the clinic added to its list is stored as "clinic:<its name>", so a
# note keeps what it recorded even if the clinic later renames or drops it.
CLINIC_TECHNIQUE_PREFIX = "clinic:"


def technique_choices(extra: list[str], keep: list[str] | None = None) -> list[tuple[str, str]]:
    """The session form's list: the built-in techniques, the clinic's own, then "Other"."""
    built_in = [c for c in Technique.choices if c[0] != Technique.OTHER]
    own = [(f"{CLINIC_TECHNIQUE_PREFIX}{name}", name) for name in extra]
    values = {v for v, _ in built_in + own}
    # A technique recorded earlier and since dropped by the clinic stays choosable on its note.
    kept = [
        (v, v.removeprefix(CLINIC_TECHNIQUE_PREFIX))
        for v in keep or []
        if v.startswith(CLINIC_TECHNIQUE_PREFIX) and v not in values
    ]
    return built_in + own + kept + [(Technique.OTHER.value, Technique.OTHER.label)]


# Each format is a list of note sections. Sections with the same meaning share
# one column (assessment, plan), so switching format keeps what was written.
NOTE_SECTIONS: dict[str, tuple[str, str, str]] = {
    "note_data": ("Data", "What happened: what the client said and did, what you observed."),
    "note_subjective": ("Subjective", "The client's own account, in their words where useful."),
    "note_objective": ("Objective", "What you observed: presentation, affect, engagement."),
    "note_behavior": ("Behaviour", "The client's presentation and what they brought."),
    "note_intervention": ("Intervention", "What you did: techniques and exercises used."),
    "note_response": ("Response", "How the client responded to the intervention."),
    "note_assessment": ("Assessment", "Your clinical understanding of the session."),
    "note_plan": ("Plan", "Next steps, next session, anything to follow up."),
}
FORMAT_SECTIONS: dict[str, list[str]] = {
    NoteFormat.DAP: ["note_data", "note_assessment", "note_plan"],
    NoteFormat.SOAP: ["note_subjective", "note_objective", "note_assessment", "note_plan"],
    NoteFormat.BIRP: ["note_behavior", "note_intervention", "note_response", "note_plan"],
}


class RiskLevel(models.TextChoices):
    NONE = "none", "None identified"
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


DISTRESS = [MaxValueValidator(10)]


class SessionQuerySet(LockedQuerySet):
    """Bulk writes keep Client.last_session_date right too (the signals see single rows)."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        last_session_refresh(client_ids={s.client_id for s in created})
        return created

    def update(self, **kwargs):
        if not {"date", "client", "client_id"} & kwargs.keys():
            return super().update(**kwargs)
        before = set(self.values_list("client_id", flat=True))
        count = super().update(**kwargs)
        after = {kwargs.get("client_id") or getattr(kwargs.get("client"), "pk", None)}
        last_session_refresh(client_ids=before | after)
        return count


class TherapySession(SignedLockMixin):
    """One meeting with a client and its progress note. A signed note is locked."""

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        TELEHEALTH = "telehealth", "Telehealth"
        PHONE = "phone", "Phone"

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        CANCELLED_CLIENT = "client_cancel", "Cancelled by client"
        CANCELLED_CLINICIAN = "clinician_cancel", "Cancelled by clinician"
        LATE_CANCEL = "late_cancel", "Late cancel"
        NO_SHOW = "no_show", "No-show"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # A supervised clinician's note under the co-sign policy: sent to the supervisor
        # (locked while it waits), returned with a comment (editable again), then
        # co-signed, when it becomes "signed" like any other final note.
        PENDING_REVIEW = "pending", "Pending review"
        RETURNED = "returned", "Returned for revision"
        SIGNED = "signed", "Signed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapy_sessions"
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=50, verbose_name="Length (minutes)")
    modality = models.CharField(max_length=12, choices=Modality.choices, default=Modality.IN_PERSON)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.ATTENDED
    )

    techniques = models.JSONField(default=list, blank=True)
    technique_other = models.CharField(
        max_length=120, blank=True, verbose_name="Other technique, named"
    )
    distress_before = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=DISTRESS, verbose_name="Distress before (0–10)"
    )
    distress_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=DISTRESS, verbose_name="Distress after (0–10)"
    )
    homework = models.TextField(blank=True, verbose_name="Between-session practice")
    risk_level = models.CharField(
        max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE, verbose_name="Risk check"
    )
    risk_note = models.TextField(
        blank=True, help_text="Required when any risk is noted: what was assessed and the plan."
    )
    goals_addressed = models.ManyToManyField(
        "clients.PlanGoal", blank=True, related_name="sessions", verbose_name="Goals worked on"
    )

    note_format = models.CharField(
        max_length=4, choices=NoteFormat.choices, default=NoteFormat.DAP, verbose_name="Format"
    )
    note_data = models.TextField(blank=True)
    note_subjective = models.TextField(blank=True)
    note_objective = models.TextField(blank=True)
    note_behavior = models.TextField(blank=True)
    note_intervention = models.TextField(blank=True)
    note_response = models.TextField(blank=True)
    note_assessment = models.TextField(blank=True)
    note_plan = models.TextField(blank=True)

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_for_review_at = models.DateTimeField(null=True, blank=True)
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_entry = models.BooleanField(
        default=False, help_text="Signed later than the clinic's late-entry window."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [
            models.Index(fields=["client", "-date"]),
            models.Index(fields=["therapist", "status"]),
            # The caseload's "no session for N days": sessions since a date, by client,
            # answered from the index alone instead of a scan of every session.
            models.Index(fields=["date", "client"], name="session_date_client_idx"),
            # The telehealth-consent flag asks which clients had a telehealth session: a
            # few rows, found here rather than by a scan of every session in the clinic.
            models.Index(
                fields=["client"],
                condition=models.Q(modality="telehealth"),
                name="session_telehealth_client_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Session on {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.url_for(self.client_id, self.pk)

    @staticmethod
    def url_for(client_id, pk) -> str:
        """The session's page from its ids alone (timelines link every session)."""
        return url_by_ids("clients:session_detail", client_id, pk)

    @classmethod
    def from_db(cls, db, field_names, values):
        session = super().from_db(db, field_names, values)
        # What Client.last_session_date was computed from (see _refresh_after_save).
        session._stored_client_date = (
            session.__dict__.get("client_id"),
            session.__dict__.get("date"),
        )
        return session

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def is_pending_review(self) -> bool:
        return self.status == self.Status.PENDING_REVIEW

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_editable(self) -> bool:
        """A draft, or a note the supervisor returned; never one waiting for review."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def starts_at(self) -> dt.datetime:
        return session_start(self.date, self.start_time)

    @property
    def technique_labels(self) -> list[str]:
        labels = dict(Technique.choices)
        named = []
        for t in self.techniques or []:
            if t == Technique.OTHER:
                named.append(self.technique_other or "Other")
            elif t.startswith(CLINIC_TECHNIQUE_PREFIX):
                named.append(t.removeprefix(CLINIC_TECHNIQUE_PREFIX))
            elif t in labels:
                named.append(labels[t])
        return named

    @property
    def note_sections(self) -> list[tuple[str, str]]:
        """(label, text) for the sections of the chosen format."""
        return [
            (NOTE_SECTIONS[name][0], getattr(self, name))
            for name in FORMAT_SECTIONS[self.note_format]
        ]

    @property
    def distress_change(self) -> int | None:
        if self.distress_before is None or self.distress_after is None:
            return None
        return self.distress_after - self.distress_before


class ProcessNote(models.Model):
    """The therapist's private process note (psychotherapy notes).

    Kept apart from the session so that nothing that reads sessions (lists,
    exports, PDFs, search) can pick it up by accident; encrypted at rest and
    shown to its author only.
    """

    session = models.OneToOneField(
        TherapySession, on_delete=models.CASCADE, related_name="process_note"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Private process note"  # never the text

    def __repr__(self) -> str:
        return f"<ProcessNote {self.pk}>"


class SessionAddendum(models.Model):
    """A correction or addition to a signed note, with its own signature. Never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TherapySession, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    text = models.TextField()
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at"]
        verbose_name_plural = "session addenda"

    def __str__(self) -> str:
        return f"Addendum of {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignedRecordLocked("An addendum is signed when written and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedRecordLocked("An addendum cannot be deleted")


def _refuse_goal_changes_on_signed_notes(sender, instance, action, reverse, pk_set, **kwargs):
    """Which goals a signed note addressed is part of the signed record."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if reverse:
        signed = TherapySession._base_manager.filter(pk__in=pk_set or [], status="signed")
    else:
        signed = TherapySession._base_manager.filter(pk=instance.pk, status="signed")
    if signed.exists():
        raise SignedRecordLocked("A signed note's goals cannot be changed")


def last_session_refresh(*, client_ids) -> None:
    """Set Client.last_session_date to the latest session's date (any status), in one UPDATE."""
    latest = (
        TherapySession._base_manager.filter(client=models.OuterRef("pk"))
        .order_by("-date")
        .values("date")[:1]
    )
    Client._base_manager.filter(pk__in=[pk for pk in client_ids if pk]).update(
        last_session_date=models.Subquery(latest)
    )


def _refresh_after_save(sender, instance, created=False, raw=False, **kwargs):
    # Only for a new session or a changed client or date: signing and note edits cost nothing.
    stored = getattr(instance, "_stored_client_date", (None, None))
    if raw or (not created and stored == (instance.client_id, instance.date)):
        return
    last_session_refresh(client_ids={stored[0], instance.client_id})
    instance._stored_client_date = (instance.client_id, instance.date)


def _refresh_after_delete(sender, instance, **kwargs):
    last_session_refresh(client_ids={instance.client_id})


models.signals.post_save.connect(
    _refresh_after_save, sender=TherapySession, dispatch_uid="session_last_date_save"
)
models.signals.post_delete.connect(
    _refresh_after_delete, sender=TherapySession, dispatch_uid="session_last_date_delete"
)

models.signals.m2m_changed.connect(
    _refuse_goal_changes_on_signed_notes,
    sender=TherapySession.goals_addressed.through,
    dispatch_uid="refuse_goal_changes_on_signed_notes",
)
