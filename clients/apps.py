from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients and caseloads"

    def ready(self) -> None:
        from clients.exports.documents import register_builtin_documents
        from clients.exports.release import register_release_documents
        from clients.exports.timeline import register_exports_timeline

        register_builtin_documents()
        register_release_documents()
        register_exports_timeline()
        from clients import timeline_sources

        timeline_sources.register()
        from clients.measures import register_measure_source
        from clients.selectors.sessions import session_distress_measures

        register_measure_source(key="session_distress", measures=session_distress_measures)
        from clients.drafts import register_own_kinds

        register_own_kinds()
        # Registers the Celery tasks in every process, so services can send them by name.
        from clients import tasks  # noqa: F401
