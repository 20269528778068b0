from django.apps import AppConfig


class AttachmentAppConfig(AppConfig):
    name = "attachment_app"
    verbose_name = "Accounts, clinics and audit"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from attachment_app import checks, ids, signals  # noqa: F401
        from attachment_app.freshness import on_record_write

        post_save.connect(on_record_write, dispatch_uid="freshness-save")
        post_delete.connect(on_record_write, dispatch_uid="freshness-delete")
