from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from attachment_app import views
from attachment_app.clinic_settings import views as clinic_settings

# The admin signs in through allauth too, so its MFA and lockout apply there as well.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("session/keepalive", views.session_keepalive, name="session_keepalive"),
    path("session/status", views.session_status, name="session_status"),
    path(
        "session/sign-out-everywhere", views.sign_out_everywhere, name="session_sign_out_everywhere"
    ),
    # Login addresses are managed by the clinic's admins, not changed by their owners
    # (a hijacked session must not be able to redirect password resets).
    path("settings/", clinic_settings.clinic_settings, name="clinic_settings"),
    path("accounts/email/", views.page_not_found, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("clients.urls")),
    path("exercises/", include("exercises.urls")),
    # The client's companion (their own pages only; clients/access.py keeps them there).
    path("companion/", include("exercises.companion_urls")),
]

handler400 = "attachment_app.views.bad_request"
handler403 = "attachment_app.views.permission_denied"
handler404 = "attachment_app.views.page_not_found"
handler500 = "attachment_app.views.server_error"
