from django.contrib import admin
from django.urls import include, path

from attachment_app import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("clients.urls")),
    path("exercises/", include("exercises.urls")),
]
