from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from attachment_app.models import AuditEvent, Clinic, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "mfa_required", "idle_timeout_minutes", "time_zone", "date_format"]
    fieldsets = [
        (None, {"fields": ["name"]}),
        # Clinic admins change these on their settings page (/settings/, audited field by
        # field); the Django admin keeps them for operations.
        ("Security", {"fields": ["mfa_required", "mfa_methods", "idle_timeout_minutes"]}),
        (
            "Records",
            {
                "fields": [
                    "late_entry_hours",
                    "no_session_alert_days",
                    "future_entry_grace_hours",
                    "plan_review_interval_days",
                ]
            },
        ),
        ("Notes", {"fields": ["default_note_format", "extra_techniques"]}),
        ("Dates", {"fields": ["time_zone", "date_format"]}),
        ("For clients", {"fields": ["crisis_line"]}),
        (
            "Retention",
            {"fields": ["retention_years_adult", "retention_years_minor", "export_retention_days"]},
        ),
        ("Appointments", {"fields": ["late_cancel_window_hours"]}),
    ]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "clinic", "is_therapist", "is_clinic_admin", "is_active"]
    list_filter = ["clinic", "is_therapist", "is_clinic_admin", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "credentials"]}),
        ("Clinic", {"fields": ["clinic", "is_therapist", "is_clinic_admin", "caseload_capacity"]}),
        ("Operations", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "clinic", "password1", "password2"]}),
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is evidence."""

    list_display = ["created_at", "actor_label", "action", "client_id", "ip_address"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
