from django.urls import path

from clients.exports.urls import urlpatterns as export_urlpatterns
from clients.views import (
    appointments,
    audit,
    caseload,
    consents,
    discharge,
    drafts,
    emergency,
    home,
    plan_goals,
    plans,
    releases,
    retention,
    sessions,
    supervision,
    therapists,
    timeline,
)
from clients.views import clients as records

app_name = "clients"
C = "clients/<uuid:client_id>/"
urlpatterns = [
    path("", home.home, name="home"),
    path(C + "drafts/<uuid:deleted_id>/undo/", drafts.draft_undo, name="draft_undo"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("caseload/export.csv", caseload.caseload_export, name="caseload_export"),
    path("caseload/bulk/", caseload.caseload_bulk, name="caseload_bulk"),
    path("caseload/alerts/", caseload.caseload_alerts, name="caseload_alerts"),
    path("retention/", retention.retention_report_view, name="retention_report"),
    path("clients/new/", records.client_new, name="client_new"),
    path("clients/<uuid:client_id>/", records.client_detail, name="client_detail"),
    # Schedule
    path("schedule/", appointments.week, name="schedule_week"),
    path("schedule/day/", appointments.day, name="schedule_day"),
    path("appointments/new/", appointments.appointment_new, name="appointment_new"),
    path("rooms/", appointments.rooms, name="rooms"),
    path("schedule/calendar-link/", appointments.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", appointments.calendar_feed, name="calendar_feed"),
    path(
        "appointments/<uuid:appointment_id>/",
        appointments.appointment_detail,
        name="appointment_detail",
    ),
    path(
        "appointments/<uuid:appointment_id>/move/",
        appointments.appointment_move,
        name="appointment_move",
    ),
    path(
        "appointments/<uuid:appointment_id>/cancel/",
        appointments.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "appointments/<uuid:appointment_id>/mark/",
        appointments.appointment_mark,
        name="appointment_mark",
    ),
    path(
        "appointments/<uuid:appointment_id>/unmark/",
        appointments.appointment_unmark,
        name="appointment_unmark",
    ),
    *export_urlpatterns,
    # Session log
    path("sessions/unsigned/", sessions.unsigned_notes, name="unsigned_notes"),
    path(C + "sessions/", sessions.session_list, name="session_list"),
    path(C + "sessions/new/", sessions.session_new, name="session_new"),
    path(C + "sessions/distress/", sessions.distress, name="distress"),
    path(C + "sessions/<uuid:session_id>/", sessions.session_detail, name="session_detail"),
    path(C + "sessions/<uuid:session_id>/edit/", sessions.session_edit, name="session_edit"),
    path(
        C + "sessions/<uuid:session_id>/delete/",
        drafts.draft_delete,
        {"kind": "session"},
        name="session_delete",
    ),
    path(
        C + "sessions/<uuid:session_id>/addenda/",
        sessions.addendum_new,
        name="addendum_new",
    ),
    path(
        C + "sessions/<uuid:session_id>/process-note/",
        sessions.process_note_save,
        name="process_note_save",
    ),
    path(
        C + "sessions/<uuid:session_id>/cosign/",
        sessions.note_cosign,
        name="note_cosign",
    ),
    path(
        C + "sessions/<uuid:session_id>/return/",
        sessions.note_return,
        name="note_return",
    ),
    path("reviews/", supervision.review_queue, name="review_queue"),
    # Treatment plan
    path(C + "plan/", plans.plan_detail, name="plan_detail"),
    path(C + "plan/start/", plans.plan_start, name="plan_start"),
    path(C + "plan/revise/", plans.plan_revise, name="plan_revise"),
    path(C + "plan/compare/", plans.plan_compare, name="plan_compare"),
    path(C + "plan/progress/", plans.plan_progress, name="plan_progress"),
    path(
        C + "plan/revisions/<uuid:revision_id>/",
        plans.revision_detail,
        name="revision_detail",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/edit/",
        plans.revision_edit,
        name="revision_edit",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/sign/",
        plans.revision_sign,
        name="revision_sign",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/delete/",
        drafts.draft_delete,
        {"kind": "plan_revision"},
        name="revision_delete",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/goals/new/",
        plans.goal_new,
        name="goal_new",
    ),
    path(
        C + "plan/revisions/<uuid:revision_id>/goals/",
        plan_goals.plan_goals,
        name="plan_goals",
    ),
    path(C + "plan/goals/<uuid:goal_id>/", plans.goal_edit, name="goal_edit"),
    path(C + "plan/goals/<uuid:goal_id>/delete/", plans.goal_delete, name="goal_delete"),
    # Intake consents
    path(C + "consents/", consents.client_consents_page, name="client_consents"),
    path(C + "consents/sign/<uuid:template_id>/", consents.consent_sign_page, name="consent_sign"),
    path(C + "consents/<uuid:consent_id>/", consents.consent_detail, name="consent_detail"),
    path(
        C + "consents/<uuid:consent_id>/withdraw/",
        consents.consent_withdraw,
        name="consent_withdraw",
    ),
    path("settings/consents/", consents.consent_templates, name="consent_templates"),
    path("settings/consents/new/", consents.consent_template_new, name="consent_template_new"),
    path(
        "settings/consents/<uuid:template_id>/",
        consents.consent_template_edit,
        name="consent_template_edit",
    ),
    # Timeline
    path(C + "timeline/", timeline.timeline, name="timeline"),
    path("clients/<uuid:client_id>/edit/", records.client_edit, name="client_edit"),
    path(
        "clients/<uuid:client_id>/clinical/",
        records.client_clinical_edit,
        name="client_clinical_edit",
    ),
    path("clients/<uuid:client_id>/status/", records.client_status, name="client_status"),
    path(C + "discharge/", discharge.client_discharge_view, name="client_discharge"),
    # Release of information
    path(C + "releases/", releases.release_list, name="release_list"),
    path(C + "releases/<uuid:release_id>/", releases.release_detail, name="release_detail"),
    path(C + "releases/<uuid:release_id>/fulfil/", releases.release_fulfil, name="release_fulfil"),
    path(C + "releases/<uuid:release_id>/refuse/", releases.release_refuse, name="release_refuse"),
    path(C + "disclosures/", releases.disclosures, name="disclosures"),
    path(C + "reopen/", discharge.client_reopen_view, name="client_reopen"),
    path(C + "legal-hold/", retention.legal_hold_set_view, name="legal_hold_set"),
    path(C + "legal-hold/lift/", retention.legal_hold_lift_view, name="legal_hold_lift"),
    path(C + "destruction/", retention.destruction_request_view, name="destruction_request"),
    path(
        C + "destruction/confirm/", retention.destruction_confirm_view, name="destruction_confirm"
    ),
    path(
        C + "destruction/withdraw/",
        retention.destruction_withdraw_view,
        name="destruction_withdraw",
    ),
    path(C + "discharge/<uuid:discharge_id>/", discharge.discharge_detail, name="discharge_detail"),
    path(
        C + "discharge/<uuid:discharge_id>/edit/", discharge.discharge_edit, name="discharge_edit"
    ),
    path(
        C + "discharge/<uuid:discharge_id>/sign/", discharge.discharge_sign, name="discharge_sign"
    ),
    path("clients/<uuid:client_id>/assign/", records.client_assign_view, name="client_assign"),
    path(
        "clients/<uuid:client_id>/unassign/", records.client_unassign_view, name="client_unassign"
    ),
    path("therapists/", therapists.therapist_list, name="therapist_list"),
    path("therapists/new/", therapists.therapist_new, name="therapist_new"),
    path(
        "invitations/<str:token>/",
        therapists.invitation_accept,
        name="invitation_accept",
    ),
    path("therapists/<id:therapist_id>/", therapists.therapist_edit, name="therapist_edit"),
    path(
        "therapists/<id:therapist_id>/supervision/",
        supervision.therapist_supervision,
        name="therapist_supervision",
    ),
    path(
        "therapists/<id:therapist_id>/active/",
        therapists.therapist_active,
        name="therapist_active",
    ),
    path("audit/", audit.audit_search, name="audit_search"),
    path(
        "clients/<uuid:client_id>/emergency-access/",
        emergency.emergency_access,
        name="emergency_access",
    ),
    path(
        "clients/<uuid:client_id>/emergency-access/end/",
        emergency.emergency_access_end,
        name="emergency_access_end",
    ),
    path("emergency-access/", emergency.emergency_access_log, name="emergency_access_log"),
]
