"""Who may see which client: the one place every view and form asks.

A therapist sees the clients assigned to them. A clinic admin sees every
client of the clinic, but clinical content only where also the assigned
therapist. Nobody sees another clinic's records, and the answer to a record
out of scope is 404, so its existence does not leak.

Emergency access ("break the glass"): a clinic admin who is also a clinician
may open one client's clinical record for a stated reason; while the grant is
active (it expires by itself) the client is in that person's care here.
"""

import uuid
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from attachment_app.models import User
from clients.models import Client, EmergencyAccessGrant


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


def _parse(client_id: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(client_id))
    except ValueError as exc:
        raise Http404 from exc


def client_for_record(user: User, client_id: object) -> Client:
    try:
        # Every client page names the primary therapist: fetched with the client.
        return (
            clients_visible_to(user).select_related("primary_therapist").get(pk=_parse(client_id))
        )
    except Client.DoesNotExist as exc:
        raise Http404 from exc


def client_for_care(user: User, client_id: object) -> Client:
    try:
        client = clients_in_care_of(user).get(pk=_parse(client_id))
    except Client.DoesNotExist as exc:
        raise Http404 from exc
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
    return may_break_the_glass(user) and _granted_client_ids(user).filter(client=client).exists()


def active_grant(user: User, client: Client) -> EmergencyAccessGrant | None:
    if not may_break_the_glass(user):
        return None
    return EmergencyAccessGrant.objects.active().filter(user=user, client=client).first()


def with_client(*, care: bool) -> Callable:
    """Resolve the URL's client_id within the user's scope before anything else.

    It runs before method checks, so an out-of-scope id answers 404 to every
    method. care=True asks for clinical access (assigned therapist only).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, client_id, *args, **kwargs):
            lookup = client_for_care if care else client_for_record
            return view(request, lookup(request.user, client_id), *args, **kwargs)

        return wrapper

    return decorator


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
