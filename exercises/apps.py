from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Attachment-based exercises"

    def ready(self) -> None:
        from exercises import timeline

        timeline.register()
