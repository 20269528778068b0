"""The client's companion: every page under /companion/, for a client account only."""

from django.urls import path

from exercises.views import companion

app_name = "companion"

urlpatterns = [
    path("", companion.home, name="home"),
    path("account/", companion.account, name="account"),
    path("welcome/<str:token>/", companion.welcome, name="welcome"),
]
