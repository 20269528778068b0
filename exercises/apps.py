from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Attachment-based exercises"

    def ready(self) -> None:
        from clients.demo import demo_seeded
        from exercises import (
            destruction,
            distress,
            drafts,
            exports,
            measures,
            release,
            session_links,
            timeline,
        )

        timeline.register()
        distress.register()
        exports.register()
        release.register()
        session_links.register()
        destruction.register()
        drafts.register()
        measures.register()
        demo_seeded.connect(_seed_exercises_demo, dispatch_uid="exercises-demo")


def _seed_exercises_demo(sender, **kwargs) -> None:
    from exercises.demo import seed_companion_demo, seed_exercises_demo

    seed_exercises_demo()
    if kwargs.get("password"):
        seed_companion_demo(password=kwargs["password"])
