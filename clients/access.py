"""Who may see which client: the one place every view and form asks.

A therapist sees the clients assigned to them. A clinic admin sees every
client of the clinic, but clinical content only where also the assigned
therapist. Nobody sees another clinic's records, and the answer to a record
out of scope is 404, so its existence does not leak.

Emergency access ("break the glass"): a clinic admin who is also a clinician
may open one client's clinical record for a stated reason; while the grant is
active (it expires by itself) the client is in that person's care here.

Supervision: a supervisor reads the records of their supervisees' clients (every
page a GET or HEAD answers) without the clients being on their caseload, and
writes nothing there; the private process notes stay their author's alone
(clients/selectors/sessions.py `process_note_for`). Co-signing and returning a
note go through `with_review_note`, scoped to the notes the user reviews.

The client's companion: a client account (a User with no staff role and a
ClientAccount) reaches its own companion pages under /companion/ and its own
account pages, nothing else: every other URL answers 404 to it, and every
companion page resolves the client from the signed-in account, never from the URL.

Release of information: release requests and the accounting of disclosures are the
client's therapist's and the clinic admins' (`with_release_client`): either logs a request,
fulfils or refuses it, and reads the disclosures; the admin runs the 30-day clock for the
clinic, the therapist knows the record. Both also on a discharged record (most requests
come after discharge). A supervisor, a colleague or the client's own account reaches none
of it (404). The bundle itself is clinical content: it is prepared through the exports
(care=True), so only the therapist (or an emergency grant) reads it.
"""

import inspect
import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from attachment_app.models import User
from clients.models import (
    Client,
    ClientAccount,
    ClientAssignment,
    ConsentTemplate,
    EmergencyAccessGrant,
    ReleaseRequest,
    Supervision,
    TherapySession,
)

READ_METHODS = frozenset({"GET", "HEAD"})


def may_break_the_glass(user: User) -> bool:
    return bool(
        user.is_authenticated and user.clinic_id and user.is_clinic_admin and user.is_therapist
    )


def _granted_client_ids(user: User):
    return EmergencyAccessGrant.objects.active().filter(user=user).values("client_id")


def clients_visible_to(user: User) -> QuerySet[Client]:
    """Clients whose record (demographics, status, assignment) the user may see."""
    if not user.is_authenticated or user.clinic_id is None:
        return Client.objects.none()
    clients = Client.objects.filter(clinic_id=user.clinic_id)
    if user.is_clinic_admin:
        return clients  # emergency grants go to clinic admins only, who see every record
    if user.is_therapist:
        return clients.filter(primary_therapist=user)
    return Client.objects.none()


def clients_in_care_of(user: User) -> QuerySet[Client]:
    """Clients whose clinical content (sessions, plans, exercises) the user may see."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_therapist:
        return Client.objects.none()
    in_care = Q(primary_therapist=user)
    if may_break_the_glass(user):
        in_care |= Q(pk__in=_granted_client_ids(user))
    return Client.objects.filter(in_care, clinic_id=user.clinic_id)


def in_care_of(user: User, *, via: str = "client") -> Q:
    """The assigned-therapist rule as a filter on a related model, for the therapist's own
    lists (home, unsigned notes). Emergency grants are left out on purpose: a grant opens
    one record, it does not put the client on the therapist's caseload.

    A plain join condition, cheaper than `client__in=<subquery>` on hot pages.
    """
    if not user.is_authenticated or user.clinic_id is None or not user.is_therapist:
        return Q(pk__in=[])
    return Q(**{f"{via}__clinic_id": user.clinic_id, f"{via}__primary_therapist_id": user.pk})


def check_in_flags_for(user: User) -> QuerySet:
    """Flagged check-ins (PHQ-9 item 9 above zero) not yet acknowledged, of the user's
    own caseload: what the home page's "needs attention" shows."""
    from exercises.models import CheckIn

    return (
        CheckIn.objects.needing_attention()
        .filter(in_care_of(user))
        .select_related("client", "administration")
        .order_by("completed_at")
    )


def check_ins_for_care(user: User, client: Client) -> QuerySet:
    """The client's check-ins, for a user who may care for them (with_client(care=True))."""
    from exercises.models import CheckIn

    if not clients_in_care_of(user).filter(pk=client.pk).exists():
        return CheckIn.objects.none()
    return CheckIn.objects.filter(client=client).select_related("scale", "administration")


# A returned note whose author can no longer revise it (account closed, client
# reassigned) would wait for nobody: it comes back to the supervisor, to co-sign as it is.
RETURNED_TO_NOBODY = Q(status=TherapySession.Status.RETURNED) & (
    Q(therapist__is_active=False) | ~Q(client__primary_therapist_id=F("therapist_id"))
)
AWAITING_REVIEW = Q(status=TherapySession.Status.PENDING_REVIEW) | RETURNED_TO_NOBODY


def clients_supervised_by(user: User) -> QuerySet[Client]:
    """Clients of the user's supervisees (same clinic, either policy): read-only, never listed
    on the supervisor's caseload."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_therapist:
        return Client.objects.none()
    # And, while a note about them waits for this supervisor, a client since reassigned (or
    # whose clinician has left): the note is read and co-signed on its page of the record.
    waiting = notes_reviewable_by(user).filter(AWAITING_REVIEW)
    return Client.objects.filter(
        Q(
            primary_therapist__supervision__supervisor=user,
            primary_therapist__clinic_id=user.clinic_id,
        )
        | Q(pk__in=waiting.values("client_id")),
        clinic_id=user.clinic_id,
    )


def supervisees_of(user: User) -> QuerySet[Supervision]:
    """The clinicians the user supervises, in the user's clinic."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_therapist:
        return Supervision.objects.none()
    return Supervision.objects.filter(
        supervisor=user, supervisee__clinic_id=user.clinic_id, supervisee__is_active=True
    )


def notes_reviewable_by(user: User) -> QuerySet[TherapySession]:
    """Notes the user co-signs: those of a supervisee under the co-sign policy, same clinic,
    about a client who is (or was) the supervisee's own.

    A note sent for review stays in the supervisor's queue, and co-signable, when its client
    is reassigned or its author's account is deactivated afterwards: the session was held
    under supervision, and nobody else could finish the note (it never gets stuck unseen).
    """
    if not user.is_authenticated or user.clinic_id is None or not user.is_therapist:
        return TherapySession.objects.none()
    was_theirs = ClientAssignment.objects.filter(
        client_id=OuterRef("client_id"), therapist_id=OuterRef("therapist_id")
    )
    return TherapySession.objects.filter(
        Q(client__primary_therapist_id=F("therapist_id")) | Q(Exists(was_theirs)),
        therapist__supervision__supervisor=user,
        therapist__supervision__policy=Supervision.Policy.COSIGN,
        therapist__clinic_id=user.clinic_id,
        client__clinic_id=user.clinic_id,
    )


def _parse(client_id: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(client_id))
    except ValueError as exc:
        raise Http404 from exc


def _first_in(scopes: list[Callable[[], QuerySet[Client]]], pk: uuid.UUID) -> Client:
    """The client in the first scope that holds it, else 404. The user's own scope is tried
    first: most requests end there, without building the supervision query at all."""
    for scope in scopes:
        client = scope().filter(pk=pk).first()
        if client is not None:
            return client
    raise Http404


def client_for_record(user: User, client_id: object, *, reading: bool = True) -> Client:
    """A record page's client. A supervisor reads (never writes) their supervisees' clients."""
    # Every client page names the primary therapist: fetched with the client.
    scopes = [lambda: clients_visible_to(user).select_related("primary_therapist")]
    if reading:
        scopes.append(lambda: clients_supervised_by(user).select_related("primary_therapist"))
    return _first_in(scopes, _parse(client_id))


def client_for_care(user: User, client_id: object, *, reading: bool = False) -> Client:
    """A clinical page's client: in the user's care; when only reading, also supervised."""
    scopes = [lambda: clients_in_care_of(user)]
    if reading:
        scopes.append(lambda: clients_supervised_by(user))
    client = _first_in(scopes, _parse(client_id))
    # The user's own client: its primary therapist and clinic are already at hand. Only
    # then: a client in someone's care for another reason keeps its own therapist.
    if client.primary_therapist_id == user.pk:
        client.primary_therapist = user
    if client.clinic_id == user.clinic_id and "clinic" in user._state.fields_cache:
        client.clinic = user.clinic
    return client


def can_see_clinical(user: User, client: Client) -> bool:
    if not (user.is_authenticated and user.is_therapist and client.clinic_id == user.clinic_id):
        return False
    if client.primary_therapist_id == user.pk:
        return True
    if clients_supervised_by(user).filter(pk=client.pk).exists():
        return True
    return may_break_the_glass(user) and _granted_client_ids(user).filter(client=client).exists()


def supervising_only(user: User, client: Client) -> bool:
    """True when the user reaches this clinical record only as a supervisor (reads only)."""
    if client.primary_therapist_id == user.pk or not user.is_authenticated:
        return False
    if clients_in_care_of(user).filter(pk=client.pk).exists():
        return False
    return clients_supervised_by(user).filter(pk=client.pk).exists()


def active_grant(user: User, client: Client) -> EmergencyAccessGrant | None:
    if not may_break_the_glass(user):
        return None
    return EmergencyAccessGrant.objects.active().filter(user=user, client=client).first()


DISCHARGED_MESSAGE = (
    "This record is closed: the client was discharged. Only addenda can be added; "
    "reopen the record to change anything else."
)


def may_write_record(request: HttpRequest, client: Client) -> bool:
    """Whether a page offers the record's write actions (new, edit, plan, exercises): not to a
    supervisor who only reads, nor on a discharged record. What stays open on a closed record
    (addenda, the closing summary, reopening, documents) is offered by its own rule."""
    return not (
        getattr(request, "reading_only", False) or client.status == Client.Status.DISCHARGED
    )


def _accepted_methods(view: Callable) -> frozenset[str]:
    """The methods the view's own require_http_methods lets through (all, when it names none)."""
    try:
        methods = inspect.getclosurevars(view).nonlocals.get("request_method_list")
    except (TypeError, ValueError):
        methods = None
    return frozenset(methods) if methods else frozenset({"GET", "HEAD", "POST", "PUT", "DELETE"})


def with_client(
    *, care: bool, while_discharged: bool = False, supervisor_reads: bool | None = None
) -> Callable:
    """Resolve the URL's client_id within the user's scope before anything else.

    It runs before method checks, so an out-of-scope id answers 404 to every
    method. care=True asks for clinical access (assigned therapist only). A
    supervisor's GET and HEAD reach their supervisees' clients too; any other
    method from them is out of scope (404), so nothing is written there.

    A discharged record is read-only: any other method is refused here, with a message,
    unless the view says it may run on a closed record (addenda, the closing summary,
    reopening, exports) with while_discharged=True.

    A supervisor who only reads opens no form page (a view that takes POST: new, edit,
    discharge, export): its GET is out of their scope too (404), as its POST is. A form
    page that is also the thing's only reading page says supervisor_reads=True.
    """

    def decorator(view: Callable) -> Callable:
        reader_may_open = (
            supervisor_reads
            if supervisor_reads is not None
            else "POST" not in _accepted_methods(view)
        )

        @wraps(view)
        def wrapper(request: HttpRequest, client_id, *args, **kwargs):
            lookup = client_for_care if care else client_for_record
            reading = request.method in READ_METHODS
            client = lookup(request.user, client_id, reading=reading)
            if not (reading or while_discharged) and client.status == Client.Status.DISCHARGED:
                messages.info(request, DISCHARGED_MESSAGE)
                return HttpResponseRedirect(client.get_absolute_url(), status=303)
            # Pages hide what the reader could not do (a supervisor's addendum form).
            request.reading_only = reading and supervising_only(request.user, client)
            if request.reading_only and not reader_may_open:
                raise Http404
            request.may_write = may_write_record(request, client)
            return view(request, client, *args, **kwargs)

        wrapper.supervisor_reads = reader_may_open  # the URL walk reads it
        return wrapper

    return decorator


def with_review_note(view: Callable) -> Callable:
    """Resolve the URL's client_id and session_id among the notes the user co-signs, else 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, client_id, session_id, *args, **kwargs):
        try:
            session = (
                notes_reviewable_by(request.user)
                .select_related("client", "therapist")
                .get(pk=_parse(session_id), client_id=_parse(client_id))
            )
        except TherapySession.DoesNotExist as exc:
            raise Http404 from exc
        return view(request, session.client, session, *args, **kwargs)

    return wrapper


def clinic_exports_visible_to(user: User) -> QuerySet:
    """Clinic-level export jobs (caseload reports): the clinic admins of that clinic."""
    from clients.models import ExportJob

    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(clinic_id=user.clinic_id, client__isnull=True)


def with_clinic_export() -> Callable:
    """Resolve the URL's job_id among the clinic-level exports the user may see (404 otherwise).

    Outermost, like with_client, so an out-of-scope id is 404 for every method.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, job_id, *args, **kwargs):
            try:
                job = clinic_exports_visible_to(request.user).get(pk=_parse(job_id))
            except ObjectDoesNotExist as exc:
                raise Http404 from exc
            return view(request, job, *args, **kwargs)

        return wrapper

    return decorator


def therapists_of_clinic(user: User) -> QuerySet[User]:
    """Active therapists a clinic admin may assign clients to (form choices)."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return User.objects.none()
    return User.objects.filter(clinic_id=user.clinic_id, is_therapist=True, is_active=True)


def therapists_managed_by(user: User) -> QuerySet[User]:
    """Therapist accounts (active or not) a clinic admin manages."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return User.objects.none()
    return User.objects.filter(clinic_id=user.clinic_id, is_therapist=True)


def members_of_clinic(user: User) -> QuerySet[User]:
    """Everyone of the admin's clinic, for the audit trail's user filter."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return User.objects.none()
    return User.objects.filter(clinic_id=user.clinic_id)


def with_therapist(view: Callable) -> Callable:
    """Resolve the URL's therapist_id among the accounts the admin manages, else 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, therapist_id, *args, **kwargs):
        try:
            pk = int(therapist_id)
            if not 0 < pk < 2**63:  # beyond the id column's range: no such account
                raise Http404
            therapist = therapists_managed_by(request.user).get(pk=pk)
        except (User.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        return view(request, therapist, *args, **kwargs)

    return wrapper


def consent_templates_managed_by(user: User) -> QuerySet[ConsentTemplate]:
    """The clinic's consent documents (every version): its clinic admins edit them."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return ConsentTemplate.objects.none()
    return ConsentTemplate.objects.filter(clinic_id=user.clinic_id)


def with_consent_template(view: Callable) -> Callable:
    """Resolve the URL's template_id among the documents the admin manages, else 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, template_id, *args, **kwargs):
        try:
            template = consent_templates_managed_by(request.user).get(pk=_parse(template_id))
        except ConsentTemplate.DoesNotExist as exc:
            raise Http404 from exc
        return view(request, template, *args, **kwargs)

    return wrapper


# --- The client's companion -------------------------------------------------------------

COMPANION_PREFIX = "/companion/"
# What a client account may reach besides its companion pages: sign-in, password and
# second-factor pages, the session keep-alive, static files, the health check.
COMPANION_ALSO_ALLOWED = ("/accounts/", "/session/", "/static/", "/healthz", "/ping")
_UNSET = object()


def companion_client_id(user: User) -> uuid.UUID | None:
    """The client whose companion this account is; None for everyone else.

    Staff roles never hold a companion account (the invitation makes a new user), so
    their requests cost no query here.
    """
    if not user.is_authenticated or user.clinic_id is None:
        return None
    if user.is_therapist or user.is_clinic_admin or user.is_staff or user.is_superuser:
        return None
    cached = getattr(user, "_companion_client_id", _UNSET)
    if cached is _UNSET:
        cached = (
            ClientAccount.objects.filter(user=user, client__clinic_id=user.clinic_id)
            .values_list("client_id", flat=True)
            .first()
        )
        user._companion_client_id = cached
    return cached


def is_companion_client(user: User) -> bool:
    return companion_client_id(user) is not None


def companion_client(user: User) -> Client:
    """The signed-in client's own record, for their companion pages; 404 to anyone else."""
    client_id = companion_client_id(user)
    if client_id is None:
        raise Http404
    return Client.objects.select_related("clinic").get(pk=client_id)


def with_companion(view: Callable) -> Callable:
    """A companion page: the client comes from the signed-in account (never the URL)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        return view(request, companion_client(request.user), *args, **kwargs)

    return wrapper


def with_companion_check_in(view: Callable) -> Callable:
    """A companion check-in page: the check-in of the signed-in client only, never one the
    clinician cancelled (404 for any other id, whatever the method), outermost."""
    from exercises.models import CheckIn

    @wraps(view)
    def wrapper(request: HttpRequest, check_in_id, *args, **kwargs):
        client = companion_client(request.user)
        try:
            check_in = (
                CheckIn.objects.open_to_client()
                .select_related("scale")
                .get(pk=_parse(check_in_id), client=client)
            )
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
        return view(request, client, check_in, *args, **kwargs)

    return wrapper


def appointments_visible_to(user: User) -> QuerySet:
    """Appointments the user may see and change: a clinic admin every one of the clinic
    (the schedule is not clinical content), a therapist their own and their clients'."""
    from clients.models import Appointment

    if not user.is_authenticated or user.clinic_id is None:
        return Appointment.objects.none()
    appointments = Appointment.objects.filter(client__clinic_id=user.clinic_id)
    if user.is_clinic_admin:
        return appointments
    if user.is_therapist:
        return appointments.filter(Q(clinician=user) | Q(client__primary_therapist=user))
    return Appointment.objects.none()


def may_unmark_appointment(user: User, appointment) -> bool:
    """Setting a wrong mark back: the appointment's clinician, or an admin of its clinic."""
    if not user.is_authenticated or user.clinic_id != appointment.client.clinic_id:
        return False
    return appointment.clinician_id == user.pk or user.is_clinic_admin


def with_appointment(view: Callable) -> Callable:
    """Resolve the URL's appointment_id within the user's scope (404 otherwise), outermost."""

    @wraps(view)
    def wrapper(request: HttpRequest, appointment_id, *args, **kwargs):
        try:
            appointment = (
                appointments_visible_to(request.user)
                .select_related("client__clinic", "clinician", "room", "series", "session")
                .get(pk=_parse(appointment_id))
            )
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
        return view(request, appointment, *args, **kwargs)

    return wrapper


def consent_template_for_signing(client: Client, template_id: object) -> ConsentTemplate:
    """A document of the client's own clinic (the client is already in the user's care)."""
    try:
        return ConsentTemplate.objects.get(clinic_id=client.clinic_id, pk=_parse(template_id))
    except ConsentTemplate.DoesNotExist as exc:
        raise Http404 from exc


def companion_boundary(request: HttpRequest) -> HttpResponse | None:
    """Keep a client account inside its companion: the clinician's pages do not exist for it.

    "/" (where every sign-in lands) leads to the companion's home; everything outside
    the companion and the account pages is a 404.
    """
    path = request.path
    if path.startswith(COMPANION_PREFIX) or path.startswith(COMPANION_ALSO_ALLOWED):
        return None
    user = getattr(request, "user", None)
    if user is None or not is_companion_client(user):
        return None
    if path == "/":
        return HttpResponseRedirect(reverse("companion:home"))
    raise Http404


def companion_accounts_for_care(user: User, client: Client) -> QuerySet[ClientAccount]:
    """The companion account of a client in the user's care (the clinician's view of it)."""
    if not can_see_clinical(user, client):
        return ClientAccount.objects.none()
    return ClientAccount.objects.filter(client=client)


def clinicians_for_booking(user: User) -> QuerySet[User]:
    """Whom the user may book an appointment with: an admin any active therapist of the
    clinic, a therapist only themselves."""
    if not user.is_authenticated or user.clinic_id is None:
        return User.objects.none()
    therapists = User.objects.filter(clinic_id=user.clinic_id, is_therapist=True, is_active=True)
    if user.is_clinic_admin:
        return therapists
    return therapists.filter(pk=user.pk)


def rooms_of_clinic(user: User) -> QuerySet:
    from clients.models import Room

    if not user.is_authenticated or user.clinic_id is None:
        return Room.objects.none()
    return Room.objects.filter(clinic_id=user.clinic_id, is_active=True)


def rooms_managed_by(user: User) -> QuerySet:
    """Every room of the clinic, in use or not: the clinic admin's to manage."""
    from clients.models import Room

    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return Room.objects.none()
    return Room.objects.filter(clinic_id=user.clinic_id)


def closed_records_managed_by(user: User) -> QuerySet[Client]:
    """Discharged records of the clinic: its clinic admins keep, hold and destroy them."""
    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return Client.objects.none()
    return Client.objects.filter(clinic_id=user.clinic_id, status=Client.Status.DISCHARGED)


def tombstones_visible_to(user: User) -> QuerySet:
    """What is left of the clinic's destroyed records: its clinic admins read it."""
    from clients.models import RecordDestruction

    if not user.is_authenticated or user.clinic_id is None or not user.is_clinic_admin:
        return RecordDestruction.objects.none()
    return RecordDestruction.objects.filter(
        clinic_id=user.clinic_id, status=RecordDestruction.Status.DESTROYED
    )


# --- Release of information -------------------------------------------------------------


def release_requests_visible_to(user: User) -> QuerySet[ReleaseRequest]:
    """Release requests on the user's dashboard: a clinic admin every one of the clinic, a
    therapist those of their own clients (see the module's note)."""
    if not user.is_authenticated or user.clinic_id is None:
        return ReleaseRequest.objects.none()
    requests = ReleaseRequest.objects.filter(client__clinic_id=user.clinic_id)
    if user.is_clinic_admin:
        return requests
    if user.is_therapist:
        return requests.filter(in_care_of(user))
    return ReleaseRequest.objects.none()


def with_release_client(view: Callable) -> Callable:
    """A release page's client: the client's therapist or a clinic admin, any method, also
    on a discharged record; 404 to everyone else (supervisors included), outermost."""

    @wraps(view)
    def wrapper(request: HttpRequest, client_id, *args, **kwargs):
        client = client_for_record(request.user, client_id, reading=False)
        request.reading_only = False
        return view(request, client, *args, **kwargs)

    return wrapper


def with_release_request(view: Callable) -> Callable:
    """Resolve the URL's client_id (as with_release_client) and release_id of that client."""

    @wraps(view)
    def wrapper(request: HttpRequest, client_id, release_id, *args, **kwargs):
        client = client_for_record(request.user, client_id, reading=False)
        try:
            release = ReleaseRequest.objects.select_related("logged_by", "closed_by").get(
                client=client, pk=_parse(release_id)
            )
        except ReleaseRequest.DoesNotExist as exc:
            raise Http404 from exc
        release.client = client
        request.reading_only = False
        return view(request, client, release, *args, **kwargs)

    return wrapper
