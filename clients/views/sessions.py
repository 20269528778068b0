"""Session log views: the note form (autosaved), signing, addenda, lists, distress chart."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attachment_app import freshness
from attachment_app.audit import audit
from attachment_app.autosave import autosave_rejected, autosave_saved, is_autosave
from attachment_app.models import AuditEvent
from clients.access import with_client, with_review_note
from clients.charts.distress import distress_chart
from clients.forms.common import add_service_errors
from clients.forms.sessions import AddendumForm, ProcessNoteForm, TherapySessionForm
from clients.forms.supervision import ReturnForm
from clients.models import Client, SignedRecordLocked, TherapySession
from clients.selectors.appointments import appointment_to_log
from clients.selectors.sessions import (
    distress_rows,
    previous_session,
    process_note_for,
    sessions_of,
    unsigned_notes_of,
)
from clients.selectors.supervision import awaits_review_by, last_return_of
from clients.services import sessions as session_services
from clients.services.appointments import appointment_session_link, session_prefill
from clients.services.supervision import (
    needs_cosign,
    session_cosign,
    session_return,
    session_send_for_review,
)

PAGE_SIZE = 20
CHART_SESSIONS = 52


def _own_session(request: HttpRequest, client: Client, session_id) -> TherapySession:
    return get_object_or_404(TherapySession, pk=session_id, client=client)


def _locked_response(request: HttpRequest, client: Client, session: TherapySession):
    """A signed note, or one waiting for the supervisor's review, is not edited."""
    if session.is_pending_review:
        message = "This note is waiting for your supervisor's review and is locked."
    else:
        message = "This note is signed and locked. Corrections are added as addenda."
    if is_autosave(request):
        return JsonResponse({"error": message}, status=409)
    messages.info(request, message)
    return redirect(session)


def _save_note(request, client, session, form, appointment=None) -> HttpResponse:
    """Save a valid form; sign when asked. Answers autosave with JSON.

    A new note opened from an appointment (`appointment`) is linked to it as it is made.
    """
    created = session is None
    try:
        session = session_services.session_draft_save(
            session=session,
            client=client,
            therapist=request.user,
            **form.draft_kwargs(),
            request=request,
        )
    except ValidationError as exc:  # the service's own rules (a date in the future)
        add_service_errors(form, exc)
        if is_autosave(request):
            return autosave_rejected(form)
        return _render_form(request, client, session, form, status=400)
    if created and appointment is not None:
        appointment_session_link(appointment=appointment, session=session)
    edit_url = reverse("clients:session_edit", args=[client.pk, session.pk])
    if is_autosave(request):
        return autosave_saved(url=edit_url)
    if "sign" in request.POST:
        return _sign(request, client, session, form)
    messages.success(request, "Draft saved.")
    for message in session_services.completeness_errors(form.cleaned_data).values():
        messages.info(request, f"Before signing: {message[0].lower()}{message[1:]}")
    return redirect(edit_url)


def _sign(request, client, session, form) -> HttpResponse:
    """Sign the note, or send it for review when the clinician's supervisor co-signs."""
    cosigned = needs_cosign(request.user)
    sign = session_send_for_review if cosigned else session_services.session_sign
    try:
        sign(session=session, user=request.user, request=request)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_form(request, client, session, form, status=400)
    if cosigned:
        messages.success(
            request, "Sent to your supervisor for review. It is locked while it waits."
        )
    else:
        messages.success(request, "Note signed. It is now locked; corrections are addenda.")
    return redirect(session)


def _render_form(request, client, session, form, status=200, appointment=None) -> HttpResponse:
    return render(
        request,
        "clients/session_form.html",
        {
            "client": client,
            "session": session,
            "form": form,
            "previous": previous_session(client, before=session),
            "sends_for_review": needs_cosign(request.user),
            "last_return": last_return_of(session) if session else None,
            "appointment": appointment,
        },
        status=status,
    )


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, client: Client) -> HttpResponse:
    # Opened from an appointment (marked attended): prefilled from it, and linked to it.
    appointment = appointment_to_log(request.user, client, request.GET.get("appointment", ""))
    if request.method == "POST":
        form = TherapySessionForm(request.POST, client=client, strict="sign" in request.POST)
        if form.is_valid():
            return _save_note(request, client, None, form, appointment=appointment)
        if is_autosave(request):
            return autosave_rejected(form)
        audit(
            request=request,
            action=AuditEvent.Action.VIEW,
            client_id=client.pk,
            summary="New session note form",
        )
        return _render_form(request, client, None, form, status=400, appointment=appointment)
    initial = {"date": timezone.localdate()}
    if appointment is not None:
        initial.update(session_prefill(appointment))
    form = TherapySessionForm(client=client, initial=initial)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        summary="New session note form",
    )
    return _render_form(request, client, None, form, appointment=appointment)


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, client: Client, session_id) -> HttpResponse:
    session = _own_session(request, client, session_id)
    if session.therapist_id != request.user.pk:
        raise Http404  # a draft is its author's until signed
    if session.is_signed or session.is_pending_review:
        return _locked_response(request, client, session)
    if request.method == "POST":
        form = TherapySessionForm(
            request.POST, instance=session, client=client, strict="sign" in request.POST
        )
        if form.is_valid():
            try:
                return _save_note(request, client, session, form)
            except SignedRecordLocked:  # signed in another tab meanwhile
                return _locked_response(request, client, session)
        if is_autosave(request):
            return autosave_rejected(form)
    else:
        note = process_note_for(session, request.user)
        initial = {"process_note": note.text if note else ""}
        form = TherapySessionForm(instance=session, client=client, initial=initial)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=session,
        summary="Session note draft",
    )
    status = 400 if request.method == "POST" else 200
    return _render_form(request, client, session, form, status=status)


@with_client(care=True)
@require_GET
def session_detail(request: HttpRequest, client: Client, session_id) -> HttpResponse:
    return _detail_page(request, client, _note_for_detail(client, session_id))


def _note_for_detail(client: Client, session_id) -> TherapySession:
    return get_object_or_404(
        TherapySession.objects.select_related(
            "therapist", "signed_by", "cosigned_by"
        ).prefetch_related("goals_addressed", "addenda__author", "reviews__by"),
        pk=session_id,
        client=client,
    )


def _detail_page(
    request, client, session, addendum_form=None, return_form=None, status=200
) -> HttpResponse:
    """The signed or draft note's page (audited as read), with a rejected form kept."""
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        obj=session,
        summary="Session note",
    )
    process_note = process_note_for(session, request.user)
    context = {
        "client": client,
        "session": session,
        "process_note": process_note,
        "process_note_form": ProcessNoteForm(
            initial={"text": process_note.text if process_note else ""}
        )
        if session.therapist_id == request.user.pk and session.is_signed and request.may_write
        else None,
        "addendum_form": addendum_form
        or (
            AddendumForm()
            if session.is_signed and not getattr(request, "reading_only", False)
            else None
        ),
        "reviewing": awaits_review_by(request.user, session),
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "clients/session_detail.html", context, status=status)


@with_client(care=True, while_discharged=True)
@require_POST
def addendum_new(request: HttpRequest, client: Client, session_id) -> HttpResponse:
    session = _own_session(request, client, session_id)
    if not session.is_signed:
        messages.info(request, "This note is still a draft: edit it directly.")
        return redirect("clients:session_edit", client.pk, session.pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        session_services.addendum_add(
            session=session,
            author=request.user,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            request=request,
        )
        messages.success(request, "Addendum signed and added.")
        return redirect(session)
    return _detail_page(request, client, session, addendum_form=form, status=400)


@with_client(care=True)
@require_GET
def session_list(request: HttpRequest, client: Client) -> HttpResponse:
    key = f"sessions:{request.user.pk}:{client.pk}"
    page, number = freshness.kept_page(
        key, lambda: sessions_of(client), PAGE_SIZE, request.GET.get("page")
    )
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        summary="Session list",
    )
    context = {
        "client": client,
        "page": page,
        "page_number": number,
        "records_token": freshness.token(),
        "kept_seconds": freshness.KEPT_SECONDS,
    }
    return render(request, "clients/session_list.html", context)


@with_client(care=True)
@require_GET
def distress(request: HttpRequest, client: Client) -> HttpResponse:
    # A year of weekly sessions stays readable, with the client's practice between them.
    rows, charted = distress_rows(client, chart_sessions=CHART_SESSIONS)
    audit(
        request=request,
        action=AuditEvent.Action.VIEW,
        client_id=client.pk,
        summary="Distress chart",
    )
    return render(
        request,
        "clients/distress.html",
        {
            "client": client,
            "rows": rows,
            "chart": distress_chart(charted),
            "charted_count": len(charted),
            "has_reported": any(row.client_reported for row in rows),
        },
    )


@require_GET
def unsigned_notes(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    notes = [(n, session_services.is_late_entry(n, now)) for n in unsigned_notes_of(request.user)]
    audit(request=request, action=AuditEvent.Action.VIEW, summary=f"Unsigned notes ({len(notes)})")
    return render(request, "clients/unsigned_notes.html", {"notes": notes})


@with_client(care=True)
@require_POST
def process_note_save(request: HttpRequest, client: Client, session_id) -> HttpResponse:
    """The private process note stays its author's to add to after the note is signed:
    it is not part of the clinical record, so signing does not lock it. Its own button
    saves it; autosave never does."""
    session = _own_session(request, client, session_id)
    if session.therapist_id != request.user.pk:
        raise Http404
    if is_autosave(request):
        # Saved by its own button only: typing on the signed note's page must never
        # put a correction meant for the record into the private note.
        return JsonResponse({"error": "The private note is saved with its own button."}, status=400)
    form = ProcessNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The private note was not saved.")
        return redirect(session)
    session_services.process_note_save(
        session=session, author=request.user, text=form.cleaned_data["text"]
    )
    audit(
        request=request,
        action=AuditEvent.Action.CHANGE,
        client_id=client.pk,
        obj=session,
        summary="Private process note saved",
    )
    messages.success(request, "Private note saved.")
    return redirect(session)


# Supervisor review ----------------------------------------------------------------


@with_review_note
@require_POST
def note_cosign(request: HttpRequest, client: Client, session: TherapySession) -> HttpResponse:
    try:
        session_cosign(session=session, user=request.user, request=request)
    except (ValidationError, PermissionError) as exc:
        messages.error(request, _refusal(exc))
        return redirect(session)
    messages.success(request, "Co-signed. The note is final and locked.")
    return redirect("clients:review_queue")


@with_review_note
@require_POST
def note_return(request: HttpRequest, client: Client, session: TherapySession) -> HttpResponse:
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            session_return(
                session=session,
                user=request.user,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # the note's state, not the comment
                messages.error(request, _refusal(exc))
                return redirect(session)
            add_service_errors(form, exc)
        except PermissionError as exc:
            messages.error(request, _refusal(exc))
            return redirect(session)
        else:
            messages.success(request, "Returned to the clinician with your comment.")
            return redirect("clients:review_queue")
    session = _note_for_detail(client, session.pk)
    return _detail_page(request, client, session, return_form=form, status=400)


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
