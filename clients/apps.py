from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "Clients and caseloads"

    def ready(self) -> None:
        from clients import timeline_sources

        timeline_sources.register()
