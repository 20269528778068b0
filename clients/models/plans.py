import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from clients.models.clients import AttachmentStyle, Client
from clients.models.locking import LockedQuerySet, SignedLockMixin, SignedRecordLocked
from clients.models.sessions import Technique


class TreatmentPlan(models.Model):
    """The client's one plan; its content lives in revisions, every one kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="treatment_plan")
    # Copied from the newest signed revision so caseload queries need no join to revisions.
    review_date = models.DateField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Treatment plan for {self.client}"

    @property
    def review_overdue(self) -> bool:
        return self.review_date is not None and self.review_date < timezone.localdate()


class PlanRevision(SignedLockMixin):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    # What the clinician writes in a revision, in the form's order: edited by the form,
    # copied into the next revision, compared by the revision diff.
    CONTENT_FIELDS = (
        "presenting_problems",
        "style_hypothesis",
        "hypothesis_evidence",
        "relationship_patterns",
        "change_wishes",
        "strengths",
        "supports",
        "review_date",
        "client_participated",
        "participation_date",
        "participation_note",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    review_date = models.DateField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    presenting_problems = models.TextField(blank=True)
    style_hypothesis = models.CharField(
        max_length=16,
        choices=AttachmentStyle.choices,
        default=AttachmentStyle.NOT_YET_CLEAR,
        verbose_name="Working attachment-style hypothesis",
    )
    hypothesis_evidence = models.TextField(
        blank=True, verbose_name="Evidence for the hypothesis", help_text="What you have noticed."
    )
    relationship_patterns = models.TextField(blank=True, verbose_name="Patterns in relationships")
    change_wishes = models.TextField(blank=True, verbose_name="What the client wants to change")
    strengths = models.TextField(blank=True)
    supports = models.TextField(blank=True, help_text="People, places and practices that help.")
    client_participated = models.BooleanField(
        default=False, verbose_name="Plan agreed with the client in session"
    )
    participation_date = models.DateField(null=True, blank=True, verbose_name="Agreed on")
    participation_note = models.CharField(
        max_length=300, blank=True, verbose_name="Client's participation, in brief"
    )

    objects = LockedQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_revision_number")
        ]

    def __str__(self) -> str:
        return f"Revision {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("clients:revision_detail", args=[self.plan.client_id, self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class RevisionContent(models.Model):
    """A part of a revision (goal, objective, intervention): locked with its revision."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.revision_signed():
            raise SignedRecordLocked("This plan revision is signed and locked")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.revision_signed():
            raise SignedRecordLocked("This plan revision is signed and locked")
        return super().delete(*args, **kwargs)

    def revision_signed(self) -> bool:
        raise NotImplementedError


class PlanGoal(RevisionContent):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="goals")
    # The same goal across revisions keeps its key, so progress and the
    # sessions that worked on it can be followed from revision to revision.
    key = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300, verbose_name="Goal")

    class Meta:
        ordering = ["order", "text"]

    def __str__(self) -> str:
        return self.text

    def revision_signed(self) -> bool:
        return PlanRevision._base_manager.filter(pk=self.revision_id, status="signed").exists()


class PlanObjective(RevisionContent):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        REVISED = "revised", "Revised"
        SET_ASIDE = "set_aside", "Set aside"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="objectives")
    key = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300, verbose_name="Measurable objective")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], verbose_name="Progress (%)"
    )

    class Meta:
        ordering = ["order", "text"]

    def __str__(self) -> str:
        return self.text

    def revision_signed(self) -> bool:
        return PlanRevision._base_manager.filter(goals=self.goal_id, status="signed").exists()


class PlanIntervention(RevisionContent):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="interventions")
    order = models.PositiveSmallIntegerField(default=0)
    technique = models.CharField(max_length=20, choices=Technique.choices)
    description = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=100, blank=True, help_text="For example: weekly.")

    class Meta:
        ordering = ["order", "technique"]

    def __str__(self) -> str:
        return self.get_technique_display()

    def sentence(self) -> str:
        """The intervention as a reader says it: "Inner child work: a letter (weekly)";
        an "other" technique is named by its description ("Journalling (weekly)")."""
        if self.technique == Technique.OTHER:
            text = self.description or "Another technique"
        else:
            name = self.get_technique_display()
            text = f"{name}: {self.description}" if self.description else name
        return f"{text} ({self.frequency})" if self.frequency else text

    def revision_signed(self) -> bool:
        return PlanRevision._base_manager.filter(goals=self.goal_id, status="signed").exists()
