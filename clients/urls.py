from django.urls import path

from clients import views

app_name = "clients"
urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<uuid:client_id>/", views.client_detail, name="client_detail"),
]
