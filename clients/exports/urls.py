"""Export URLs, included in the clients namespace."""

from django.urls import path

from clients.exports import views

client = "clients/<uuid:client_id>/exports/"
urlpatterns = [
    path(client, views.export_create, name="export_create"),
    path(f"{client}<uuid:job_id>/", views.export_detail, name="export_detail"),
    path(f"{client}<uuid:job_id>/retry/", views.export_retry, name="export_retry"),
    path(f"{client}<uuid:job_id>/download/", views.export_download, name="export_download"),
    path("exports/caseload/", views.clinic_exports, name="clinic_exports"),
    path("exports/<uuid:job_id>/", views.clinic_export_detail, name="clinic_export_detail"),
    path("exports/<uuid:job_id>/retry/", views.clinic_export_retry, name="clinic_export_retry"),
    path(
        "exports/<uuid:job_id>/download/",
        views.clinic_export_download,
        name="clinic_export_download",
    ),
]
