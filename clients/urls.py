from django.urls import path

from clients import views
from clients.exports.urls import urlpatterns as export_urlpatterns

app_name = "clients"
urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<uuid:client_id>/", views.client_detail, name="client_detail"),
    *export_urlpatterns,
]
