import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from attachment_app.ids import url_by_ids
from attachment_app.models import Clinic


class AttachmentStyle(models.TextChoices):
    NOT_YET_CLEAR = "not_yet_clear", "Not yet clear"
    SECURE = "secure", "Secure"
    ANXIOUS = "anxious", "Anxious"
    AVOIDANT = "avoidant", "Avoidant"
    DISORGANIZED = "disorganized", "Disorganized"


class WaitlistPriority(models.IntegerChoices):
    URGENT = 1, "Urgent"
    SOON = 2, "Soon"
    ROUTINE = 3, "Routine"


class PreferredModality(models.TextChoices):
    ANY = "any", "No preference"
    IN_PERSON = "in_person", "In person"
    TELEHEALTH = "telehealth", "Telehealth"
    PHONE = "phone", "Phone"


class PresentingNeed(models.TextChoices):
    RELATIONSHIPS = "relationships", "Difficulties in relationships"
    EARLY_EXPERIENCE = "early_experience", "Early experiences affecting today"
    BOTH = "both", "Both"
    OTHER = "other", "Something else"


class Client(models.Model):
    """A person in the clinic's care, or waiting for it."""

    class Status(models.TextChoices):
        WAITLIST = "waitlist", "Waitlist"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        DISCHARGED = "discharged", "Discharged"

    # A UUID, so a client's address cannot be guessed or enumerated.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clients")

    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)

    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    emergency_contact = models.CharField(
        max_length=200, blank=True, help_text="Name, relationship and phone number."
    )

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITLIST)
    status_changed_at = models.DateTimeField(default=timezone.now)
    intake_date = models.DateField(default=timezone.localdate)
    referral_source = models.CharField(max_length=200, blank=True)

    presenting_concerns = models.TextField(blank=True)
    relationship_concerns = models.TextField(blank=True)
    childhood_history = models.TextField(
        blank=True,
        verbose_name="Childhood and caregiver history",
        help_text="Optional and sensitive. Record only what the client chose to share.",
    )
    suits_relationship_problems = models.BooleanField(
        default=False, verbose_name="Relationship problems"
    )
    suits_childhood_unmet_needs = models.BooleanField(
        default=False, verbose_name="Childhood trauma from unmet needs"
    )
    suits_link_childhood_present = models.BooleanField(
        default=False, verbose_name="Wishes to link childhood experience to present relationships"
    )
    suitability_notes = models.TextField(blank=True)

    attachment_hypothesis = models.CharField(
        max_length=16,
        choices=AttachmentStyle.choices,
        default=AttachmentStyle.NOT_YET_CLEAR,
        verbose_name="Working attachment-style hypothesis",
    )
    attachment_hypothesis_date = models.DateField(null=True, blank=True)

    # What matching from the waitlist needs. Admins see and edit these: no clinical
    # detail, only a broad area of need (the clinical background stays with clinicians).
    waitlist_priority = models.PositiveSmallIntegerField(
        choices=WaitlistPriority.choices,
        default=WaitlistPriority.ROUTINE,
        verbose_name="Waitlist priority",
    )
    availability = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="When they can attend",
        help_text="Days and times, for example: weekday evenings, not Mondays.",
    )
    preferred_modality = models.CharField(
        max_length=12,
        choices=PreferredModality.choices,
        default=PreferredModality.ANY,
        verbose_name="Preferred way to meet",
    )
    appointment_reminders = models.BooleanField(
        default=False,
        verbose_name="E-mail appointment reminders",
        help_text="The client agreed to a reminder the day before: date, time and place only, "
        "nothing clinical.",
    )
    presenting_need = models.CharField(
        max_length=20,
        choices=PresentingNeed.choices,
        blank=True,
        verbose_name="Area of need",
        help_text="A broad area, for matching only. Clinical detail belongs in the clinical "
        "background, which only the client's clinicians see.",
    )

    primary_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="primary_clients",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The date of the latest session of any status, read by every list, panel and alert
    # instead of a subquery per row; written only by the session signals in
    # clients/models/sessions.py (last_session_refresh), never by Client.save().
    last_session_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["clinic", "status"]),
            models.Index(fields=["clinic", "primary_therapist", "status"]),
            models.Index(fields=["clinic", "legal_last_name", "legal_first_name"]),
            # The waitlist, longest waiting first.
            models.Index(fields=["clinic", "status", "status_changed_at"]),
            # "No recent session" and the sort by last session, at any size of clinic.
            models.Index(fields=["clinic", "status", "last_session_date"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        # A client loaded before a session was logged must not write back its stale date.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "last_session_date"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.url_for(self.pk)

    @property
    def display_name(self) -> str:
        return self.name_from(self.legal_first_name, self.legal_last_name, self.preferred_name)

    @staticmethod
    def name_from(legal_first: str, legal_last: str, preferred: str) -> str:
        return f"{preferred or legal_first} {legal_last}"

    @staticmethod
    def url_for(pk) -> str:
        """The record's page from its id alone (list pages link every row)."""
        return url_by_ids("clients:client_detail", pk)

    @property
    def days_in_status(self) -> int:
        """Whole days since the last status change: how long a waitlisted client has waited."""
        return (timezone.localdate() - timezone.localdate(self.status_changed_at)).days

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"


class ClientStatusChange(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Client.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Client.Status.choices)
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["client", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class ClientAssignment(models.Model):
    """One period during which a therapist was the client's primary therapist."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["therapist", "-started_at"])]
        constraints = [
            # At most one open period per client: the current assignment.
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.therapist} from {self.started_at:%Y-%m-%d}"
