from django.urls import path

from clients.views import audit, caseload, home, records, therapists

app_name = "clients"
urlpatterns = [
    path("", home.home, name="home"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("caseload/export.csv", caseload.caseload_export, name="caseload_export"),
    path("caseload/bulk/", caseload.caseload_bulk, name="caseload_bulk"),
    path("caseload/alerts/", caseload.caseload_alerts, name="caseload_alerts"),
    path("clients/new/", records.client_new, name="client_new"),
    path("clients/<uuid:client_id>/", records.client_detail, name="client_detail"),
    path("clients/<uuid:client_id>/edit/", records.client_edit, name="client_edit"),
    path(
        "clients/<uuid:client_id>/clinical/",
        records.client_clinical_edit,
        name="client_clinical_edit",
    ),
    path("clients/<uuid:client_id>/status/", records.client_status, name="client_status"),
    path("clients/<uuid:client_id>/assign/", records.client_assign_view, name="client_assign"),
    path(
        "clients/<uuid:client_id>/unassign/", records.client_unassign_view, name="client_unassign"
    ),
    path("therapists/", therapists.therapist_list, name="therapist_list"),
    path("therapists/new/", therapists.therapist_new, name="therapist_new"),
    path("therapists/<int:therapist_id>/", therapists.therapist_edit, name="therapist_edit"),
    path(
        "therapists/<int:therapist_id>/active/",
        therapists.therapist_active,
        name="therapist_active",
    ),
    path("audit/", audit.audit_search, name="audit_search"),
]
