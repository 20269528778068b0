from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from attachment_app.fields import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        for model in apps.get_models():
            names = [
                f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not names:
                continue
            count = 0
            with transaction.atomic():
                # Reading decrypts with whichever key fits; writing encrypts with the newest.
                for pk, *values in model._base_manager.values_list("pk", *names).iterator(500):
                    updates = {n: v for n, v in zip(names, values, strict=True) if v}
                    if updates:
                        model._base_manager.filter(pk=pk).update(**updates)
                        count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
