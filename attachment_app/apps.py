from django.apps import AppConfig


class AttachmentAppConfig(AppConfig):
    name = "attachment_app"
    verbose_name = "Accounts, clinics and audit"

    def ready(self) -> None:
        from attachment_app import checks, ids, signals  # noqa: F401
