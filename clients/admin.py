from django.contrib import admin

from clients.models import Client, PlanRevision, TherapySession


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    """Operations only: names and status, never clinical fields."""

    list_display = ["legal_last_name", "legal_first_name", "clinic", "status", "primary_therapist"]
    list_filter = ["clinic", "status"]
    fields = ["clinic", "legal_first_name", "legal_last_name", "status", "primary_therapist"]
    readonly_fields = fields


class SignedLockedAdmin(admin.ModelAdmin):
    """Operations only, no clinical text; a signed record cannot be changed or deleted here."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == "signed":
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == "signed":
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete cannot check each row's signature
        return actions


@admin.register(TherapySession)
class TherapySessionAdmin(SignedLockedAdmin):
    list_display = ["date", "client", "therapist", "status", "late_entry"]
    list_filter = ["status", "late_entry"]
    fields = [
        "client",
        "therapist",
        "date",
        "start_time",
        "duration_minutes",
        "modality",
        "attendance",
        "status",
        "signed_at",
        "signed_by",
        "late_entry",
    ]
    readonly_fields = ["client", "therapist", "status", "signed_at", "signed_by", "late_entry"]


@admin.register(PlanRevision)
class PlanRevisionAdmin(SignedLockedAdmin):
    list_display = ["plan", "number", "status", "review_date"]
    list_filter = ["status"]
    fields = ["plan", "number", "status", "review_date", "author", "signed_at", "signed_by"]
    readonly_fields = ["plan", "number", "status", "author", "signed_at", "signed_by"]
