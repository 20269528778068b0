from django.contrib import admin

from exercises.models import Prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    """Operations only; clinics manage their own prompts in the app. No client data here."""

    list_display = ["text", "theme", "dimension", "clinic", "is_retired"]
    list_filter = ["theme", "dimension", "is_retired"]
    search_fields = ["text"]
