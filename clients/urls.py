from django.urls import path

from clients import emergency_views, views

app_name = "clients"
urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<uuid:client_id>/", views.client_detail, name="client_detail"),
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
