from django.apps import AppConfig


class AttachmentAppConfig(AppConfig):
    name = "attachment_app"
    verbose_name = "Accounts, clinics and audit"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from attachment_app import checks, freshness, ids, signals  # noqa: F401

        post_save.connect(freshness.on_record_write, dispatch_uid="freshness-save")
        post_delete.connect(freshness.on_record_write, dispatch_uid="freshness-delete")
        request_started.connect(freshness.request_started, dispatch_uid="freshness-request")
        request_finished.connect(freshness.request_finished, dispatch_uid="freshness-finished")
