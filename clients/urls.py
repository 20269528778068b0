from django.urls import path

from clients import views, views_audit, views_caseload, views_home, views_therapists

app_name = "clients"
urlpatterns = [
    path("", views_home.home, name="home"),
    path("caseload/", views_caseload.caseload, name="caseload"),
    path("caseload/export.csv", views_caseload.caseload_export, name="caseload_export"),
    path("caseload/bulk/", views_caseload.caseload_bulk, name="caseload_bulk"),
    path("caseload/alerts/", views_caseload.caseload_alerts, name="caseload_alerts"),
    path("clients/new/", views.client_new, name="client_new"),
    path("clients/<uuid:client_id>/", views.client_detail, name="client_detail"),
    path("clients/<uuid:client_id>/edit/", views.client_edit, name="client_edit"),
    path(
        "clients/<uuid:client_id>/clinical/",
        views.client_clinical_edit,
        name="client_clinical_edit",
    ),
    path("clients/<uuid:client_id>/status/", views.client_status, name="client_status"),
    path("clients/<uuid:client_id>/assign/", views.client_assign_view, name="client_assign"),
    path("clients/<uuid:client_id>/unassign/", views.client_unassign_view, name="client_unassign"),
    path("therapists/", views_therapists.therapist_list, name="therapist_list"),
    path("therapists/new/", views_therapists.therapist_new, name="therapist_new"),
    path("therapists/<int:therapist_id>/", views_therapists.therapist_edit, name="therapist_edit"),
    path(
        "therapists/<int:therapist_id>/active/",
        views_therapists.therapist_active,
        name="therapist_active",
    ),
    path("audit/", views_audit.audit_search, name="audit_search"),
]
