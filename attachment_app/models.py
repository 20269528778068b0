import hashlib
import hmac
import json
import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from attachment_app.dates import DateFormat, default_time_zone, validate_time_zone


def mfa_required_by_default() -> bool:
    """New clinics require a second factor in production (settings.MFA_REQUIRED_BY_DEFAULT)."""
    return bool(getattr(settings, "MFA_REQUIRED_BY_DEFAULT", False))


class NoteFormat(models.TextChoices):
    """Progress-note formats; sessions use them, a clinic picks its default."""

    DAP = "dap", "DAP (data, assessment, plan)"
    SOAP = "soap", "SOAP (subjective, objective, assessment, plan)"
    BIRP = "birp", "BIRP (behaviour, intervention, response, plan)"


class MfaMethods(models.TextChoices):
    """Which second factors a clinic accepts where it requires one."""

    ANY = "any", "An authenticator app or a passkey"
    TOTP = "totp", "An authenticator app only"
    PASSKEY = "webauthn", "A passkey only"


class Clinic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    mfa_required = models.BooleanField(
        default=mfa_required_by_default,
        help_text="Every member must sign in with a second factor.",
    )
    mfa_methods = models.CharField(
        max_length=8,
        choices=MfaMethods.choices,
        default=MfaMethods.ANY,
        help_text="The second factors that count where the clinic requires one.",
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(default=15)
    late_entry_hours = models.PositiveSmallIntegerField(
        default=72, help_text="A note signed later than this after the session is a late entry."
    )
    no_session_alert_days = models.PositiveSmallIntegerField(
        default=21, help_text="Flag active clients with no session for this many days."
    )
    default_note_format = models.CharField(
        max_length=4,
        choices=NoteFormat.choices,
        default=NoteFormat.DAP,
        help_text="The format a new progress note starts in; a clinician can still switch.",
    )
    extra_techniques = models.TextField(
        blank=True,
        help_text="Techniques the clinic adds to the session form's list, one per line.",
    )
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="IANA name, for example Europe/Berlin. Pages and documents show times in it.",
    )
    date_format = models.CharField(
        max_length=8,
        choices=DateFormat.choices,
        default=DateFormat.DAY_MONTH_YEAR,
        help_text="How dates are written on every page and document.",
    )
    crisis_line = models.TextField(
        blank=True,
        help_text="Who a client can call in a crisis, with the number and hours "
        "(e.g. “988 Suicide & Crisis Lifeline, call or text 988, any time”). "
        "Printed on every take-home grounding card.",
    )
    future_entry_grace_hours = models.PositiveSmallIntegerField(
        default=12,
        help_text=(
            "Sessions and map snapshots dated later than this many hours ahead are refused "
            "(room for time zones, not for booking)."
        ),
    )
    export_retention_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Exported documents are deleted this many days after they are prepared.",
    )
    plan_review_interval_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(14), MaxValueValidator(365)],
        help_text="A new treatment plan is due for review this many days after it starts.",
    )
    retention_years_adult = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="A closed adult record is kept this many years after discharge.",
    )
    retention_years_minor = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="A minor's closed record is kept this many years after they come of age.",
    )
    late_cancel_window_hours = models.PositiveSmallIntegerField(
        default=24,
        choices=[(24, "24 hours"), (48, "48 hours"), (72, "72 hours")],
        verbose_name="Late-cancellation window",
        help_text="A client's cancellation closer than this to the appointment counts as late.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def second_factor_types(self) -> tuple[str, ...]:
        """allauth authenticator types that satisfy this clinic's second-factor rule."""
        if self.mfa_methods == MfaMethods.TOTP:
            return ("totp",)
        if self.mfa_methods == MfaMethods.PASSKEY:
            return ("webauthn",)
        return ("totp", "webauthn")

    @property
    def extra_technique_list(self) -> list[str]:
        seen: list[str] = []
        for line in self.extra_techniques.splitlines():
            name = line.strip()[:120]
            if name and name not in seen:
                seen.append(name)
        return seen


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a therapist, a clinic admin, or both."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_therapist = models.BooleanField(default=False)
    is_clinic_admin = models.BooleanField(default=False)
    caseload_capacity = models.PositiveSmallIntegerField(
        default=25, help_text="Most active clients this therapist takes on."
    )
    credentials = models.CharField(max_length=100, blank=True, help_text="For example LCSW, PhD.")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only")

    def delete(self):
        raise PermissionError("Audit events are append-only")


class AuditEvent(models.Model):
    """One access to or change of protected data. Append-only and hash-chained."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        SIGN = "sign", "Signed"
        ASSIGN = "assign", "Assigned"
        EXPORT = "export", "Export requested"
        DOWNLOAD = "download", "Downloaded"
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        LOGOUT = "logout", "Signed out"
        EMERGENCY_ACCESS = "emergency_access", "Emergency access"

    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    client_id = models.UUIDField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, editable=False)
    # Which AUDIT_HMAC_KEYS entry signed this row (a fingerprint, never the key itself).
    key_id = models.CharField(max_length=16, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")

    def chained_fields(self) -> dict:
        return {
            "uuid": str(self.uuid),
            "created_at": self.created_at.isoformat(),
            "clinic": self.clinic_id,
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "client_id": str(self.client_id) if self.client_id else None,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "summary": self.summary,
            "ip_address": self.ip_address,
            "previous_hash": self.previous_hash,
            **({"key_id": self.key_id} if self.key_id else {}),
        }

    def compute_hash(self, key: bytes | None = None) -> str:
        """HMAC-SHA256 under `key` (see audit.py); without one, the old unkeyed SHA-256."""
        payload = json.dumps(self.chained_fields(), sort_keys=True, separators=(",", ":"))
        if key is None:
            return hashlib.sha256(payload.encode()).hexdigest()
        return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


class WorkerHeartbeat(models.Model):
    """Written by the background worker, so the health check can tell it is alive."""

    name = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
