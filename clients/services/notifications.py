"""Telling clinicians about changes to their caseload, by e-mail through Django's mail.

E-mail leaves the clinic's systems: a message names no client and carries no
clinical content, only that something changed and where to look once signed in.
"""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from attachment_app.dates import format_date
from attachment_app.models import User
from clients.models import Client

logger = logging.getLogger(__name__)


def _send(*, to: User, subject: str, body: str) -> None:
    if not to.email:
        return
    try:
        send_mail(subject, body, None, [to.email])
    except OSError:
        # The assignment stands; the new clinician also sees it on their home page.
        logger.warning("assignment notice to user %s could not be sent", to.pk)


def assignment_notify(*, client: Client, therapist: User, previous: User | None, by: User | None):
    """After the change commits: tell the new clinician, and the previous one if any."""
    who = by.full_name if by else "The clinic"
    day = format_date(timezone.now())
    clinic = client.clinic.name
    to_new = (
        f"{who} assigned a client to you at {clinic} on {day}.\n\n"
        "Sign in to see who: they are listed under My clients. For privacy this message "
        "does not name the client.\n"
    )
    messages = [(therapist, "A client was assigned to you", to_new)]
    if previous is not None and previous.pk != therapist.pk:
        to_previous = (
            f"{who} moved one of your clients at {clinic} to {therapist.full_name} on {day}.\n\n"
            "The client no longer appears in your caseload; your signed notes stay in their "
            "record. For privacy this message does not name the client.\n"
        )
        messages.append((previous, "A client of yours moved to another clinician", to_previous))
    for to, subject, body in messages:
        if by is not None and to.pk == by.pk:
            continue  # nobody needs telling what they just did themselves
        transaction.on_commit(
            lambda to=to, subject=subject, body=body: _send(to=to, subject=subject, body=body)
        )
