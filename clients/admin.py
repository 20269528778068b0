from django.contrib import admin

from clients.models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    """Operations only: names and status, never clinical fields."""

    list_display = ["legal_last_name", "legal_first_name", "clinic", "status", "primary_therapist"]
    list_filter = ["clinic", "status"]
    fields = ["clinic", "legal_first_name", "legal_last_name", "status", "primary_therapist"]
    readonly_fields = fields
