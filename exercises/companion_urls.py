"""The client's companion: every page under /companion/, for a client account only."""

from django.urls import path

from exercises.views import companion

app_name = "companion"

urlpatterns = [
    path("", companion.home, name="home"),
    path("account/", companion.account, name="account"),
    path("safe-space/", companion.safe_space, name="safe_space"),
    path("safe-space/now/", companion.safe_space_now, name="safe_space_now"),
    path("practice/", companion.practice_log, name="practice_log"),
    path("letters/", companion.letters, name="letters"),
    path("check-ins/<uuid:check_in_id>/", companion.check_in_answer, name="check_in"),
    path("check-ins/<uuid:check_in_id>/done/", companion.check_in_done, name="check_in_done"),
    path("shared/<uuid:shared_id>/", companion.shared_item, name="shared_item"),
    path("welcome/<str:token>/", companion.welcome, name="welcome"),
]
