"""Authentication backends that load the signed-in user with their clinic.

Every page reads the user's clinic (the navigation names it; list pages read
its settings), so the session's user is fetched with it in one query instead
of two on every request.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ClinicUserMixin:
    def get_user(self, user_id):
        user_model = get_user_model()
        user = user_model._default_manager.select_related("clinic").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ClinicModelBackend(ClinicUserMixin, ModelBackend):
    pass


class ClinicAuthenticationBackend(ClinicUserMixin, AuthenticationBackend):
    pass
