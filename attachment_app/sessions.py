"""Ending every sign-in of a person, on every device ("sign out everywhere", deactivation)."""

from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from attachment_app.models import User


def end_sessions_of(user: User) -> int:
    """End all of the user's sessions; return how many were ended."""
    ended = 0
    for user_session in UserSession.objects.filter(user_id=user.pk):
        user_session.end()
        ended += 1
    # Sessions made without allauth's login (the admin, tests) are not tracked
    # there: find them in the session table too.
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            data = store().decode(session.session_data)
            if str(data.get("_auth_user_id")) == str(user.pk):
                session.delete()
                ended += 1
    return ended
