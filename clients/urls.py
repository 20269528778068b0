from django.urls import path

from clients import (
    emergency_views,
    views,
    views_audit,
    views_caseload,
    views_home,
    views_plan_goals,
    views_plans,
    views_sessions,
    views_therapists,
    views_timeline,
)
from clients.exports.urls import urlpatterns as export_urlpatterns

app_name = "clients"
C = "clients/<uuid:client_id>/"
urlpatterns = [
    path("", views_home.home, name="home"),
    path("caseload/", views_caseload.caseload, name="caseload"),
    path("caseload/export.csv", views_caseload.caseload_export, name="caseload_export"),
    path("caseload/bulk/", views_caseload.caseload_bulk, name="caseload_bulk"),
    path("caseload/alerts/", views_caseload.caseload_alerts, name="caseload_alerts"),
    path("clients/new/", views.client_new, name="client_new"),
    path("clients/<uuid:client_id>/", views.client_detail, name="client_detail"),
    *export_urlpatterns,
    # Session log
    path("sessions/unsigned/", views_sessions.unsigned_notes, name="unsigned_notes"),
    path(C + "sessions/", views_sessions.session_list, name="session_list"),
    path(C + "sessions/new/", views_sessions.session_new, name="session_new"),
    path(C + "sessions/distress/", views_sessions.distress, name="distress"),
    path(C + "sessions/<uuid:session_id>/", views_sessions.session_detail, name="session_detail"),
    path(C + "sessions/<uuid:session_id>/edit/", views_sessions.session_edit, name="session_edit"),
    path(
        C + "sessions/<uuid:session_id>/delete/",
        views_sessions.session_delete,
        name="session_delete",
    ),
    path(
        C + "sessions/<uuid:session_id>/addenda/",
        views_sessions.addendum_new,
        name="addendum_new",
    ),
    path(
        C + "sessions/<uuid:session_id>/process-note/",
        views_sessions.process_note_save,
        name="process_note_save",
    ),
    # Treatment plan
    path(C + "plan/", views_plans.plan_detail, name="plan_detail"),
    path(C + "plan/start/", views_plans.plan_start, name="plan_start"),
    path(C + "plan/revise/", views_plans.plan_revise, name="plan_revise"),
    path(C + "plan/compare/", views_plans.plan_compare, name="plan_compare"),
    path(C + "plan/progress/", views_plans.plan_progress, name="plan_progress"),
    path(
        C + "plan/revisions/<uuid:revision_id>/",
        views_plans.revision_detail,
        name="revision_detail",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/edit/",
        views_plans.revision_edit,
        name="revision_edit",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/sign/",
        views_plans.revision_sign,
        name="revision_sign",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/delete/",
        views_plans.revision_delete,
        name="revision_delete",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/goals/new/",
        views_plans.goal_new,
        name="goal_new",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/goals/",
        views_plan_goals.plan_goals,
        name="plan_goals",
    ),
    path(C + "plan/goals/<uuid:goal_id>/", views_plans.goal_edit, name="goal_edit"),
    path(C + "plan/goals/<uuid:goal_id>/delete/", views_plans.goal_delete, name="goal_delete"),
    # Timeline
    path(C + "timeline/", views_timeline.timeline, name="timeline"),
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
    path(
        "invitations/<str:token>/",
        views_therapists.invitation_accept,
        name="invitation_accept",
    ),
    path("therapists/<id:therapist_id>/", views_therapists.therapist_edit, name="therapist_edit"),
    path(
        "therapists/<id:therapist_id>/active/",
        views_therapists.therapist_active,
        name="therapist_active",
    ),
    path("audit/", views_audit.audit_search, name="audit_search"),
    path(
        "clients/<uuid:client_id>/emergency-access/",
        emergency_views.emergency_access,
        name="emergency_access",
    ),
    path(
        "clients/<uuid:client_id>/emergency-access/end/",
        emergency_views.emergency_access_end,
        name="emergency_access_end",
    ),
    path("emergency-access/", emergency_views.emergency_access_log, name="emergency_access_log"),
]
