from django.urls import include, path

from clients.views.drafts import draft_delete
from exercises.guides import GUIDES
from exercises.views import (
    clinic,
    explorations,
    guides,
    home,
    letters,
    maps,
    safe_space,
    scales,
    sharing,
)

app_name = "exercises"

map_patterns = [
    path("", maps.map_detail, name="map_detail"),
    path("edit/", maps.map_edit, name="map_edit"),
    path("save/", maps.map_save, name="map_save"),
    path("figures/add/", maps.figure_add, name="figure_add"),
    path("figures/<uuid:figure_id>/", maps.figure_edit, name="figure_edit"),
    path("ties/add/", maps.tie_add, name="tie_add"),
    path("ties/<uuid:tie_id>/", maps.tie_edit, name="tie_edit"),
    path("themes/add/", maps.theme_add, name="theme_add"),
    path("themes/<id:theme_id>/", maps.theme_edit, name="theme_edit"),
    path("snapshots/add/", maps.snapshot_create, name="snapshot_create"),
    path("snapshots/<uuid:snapshot_id>/", maps.snapshot_detail, name="snapshot_detail"),
    path("compare/", maps.map_compare, name="map_compare"),
    path("delete/", draft_delete, {"kind": "map"}, name="map_delete"),
]

client_patterns = [
    path("", home.client_home, name="client_home"),
    # The client's companion: their account and what is shared with them.
    path("companion/", sharing.companion_manage, name="companion_manage"),
    path("companion/invite/", sharing.companion_invite_view, name="companion_invite"),
    path(
        "companion/invitation/withdraw/",
        sharing.companion_invitation_withdraw_view,
        name="companion_invitation_withdraw",
    ),
    path("companion/access/", sharing.companion_access_view, name="companion_access"),
    path("companion/share/", sharing.companion_share_view, name="companion_share"),
    path("companion/check-ins/", sharing.check_in_schedule_view, name="check_in_schedule"),
    path(
        "companion/check-ins/<uuid:check_in_id>/acknowledge/",
        sharing.check_in_acknowledge_view,
        name="check_in_acknowledge",
    ),
    path(
        "companion/check-ins/<uuid:check_in_id>/cancel/",
        sharing.check_in_cancel_view,
        name="check_in_cancel",
    ),
    path(
        "companion/shared/<uuid:shared_id>/unshare/",
        sharing.companion_unshare_view,
        name="companion_unshare",
    ),
    path("explorations/", explorations.exploration_list, name="exploration_list"),
    path("explorations/new/", explorations.exploration_start, name="exploration_start"),
    path(
        "explorations/<uuid:exploration_id>/",
        explorations.exploration_detail,
        name="exploration_detail",
    ),
    path(
        "explorations/<uuid:exploration_id>/edit/",
        explorations.exploration_edit,
        name="exploration_edit",
    ),
    path(
        "explorations/<uuid:exploration_id>/prompts/",
        explorations.exploration_add_prompts,
        name="exploration_add_prompts",
    ),
    path(
        "explorations/<uuid:exploration_id>/delete/",
        draft_delete,
        {"kind": "exploration"},
        name="exploration_delete",
    ),
    path("scales/<id:scale_id>/", scales.scale_results_view, name="scale_results"),
    path("scales/<id:scale_id>/new/", scales.scale_administer, name="scale_administer"),
    path("maps/new/", maps.map_new, name="map_new"),
    path("maps/<uuid:map_id>/", include(map_patterns)),
    path("letters/new/", letters.letter_new, name="letter_new"),
    path("letters/<uuid:letter_id>/", letters.letter_edit, name="letter_edit"),
    path(
        "letters/<uuid:letter_id>/delete/", draft_delete, {"kind": "letter"}, name="letter_delete"
    ),
    path("letters/<uuid:letter_id>/copy/", letters.letter_copy, name="letter_copy"),
    path("letters/<uuid:letter_id>/versions/", letters.letter_revisions, name="letter_revisions"),
    path(
        "letters/<uuid:letter_id>/versions/<uuid:letter_version_id>/",
        letters.letter_revision,
        name="letter_revision",
    ),
    path(
        "letters/<uuid:letter_id>/versions/<uuid:letter_version_id>/restore/",
        letters.letter_restore,
        name="letter_restore",
    ),
    path("safe-space/new/", safe_space.plan_new, name="safe_space_new"),
    path("safe-space/now/", safe_space.safe_space_quick, name="safe_space_quick"),
    path("safe-space/<uuid:safe_space_id>/", safe_space.plan_detail, name="safe_space_detail"),
    path("safe-space/<uuid:safe_space_id>/edit/", safe_space.plan_edit, name="safe_space_edit"),
    path("safe-space/<uuid:safe_space_id>/practice/", safe_space.practice_add, name="practice_add"),
    path(
        "safe-space/<uuid:safe_space_id>/practice/<id:practice_id>/",
        safe_space.practice_edit,
        name="practice_edit",
    ),
]

urlpatterns = [
    path("clients/<uuid:client_id>/", include(client_patterns)),
    path("prompts/", clinic.prompt_bank, name="prompt_bank"),
    path("prompts/new/", clinic.prompt_edit, name="prompt_new"),
    path("prompts/<id:prompt_id>/", clinic.prompt_edit, name="prompt_edit"),
    path("prompts/<id:prompt_id>/retire/", clinic.prompt_retire, name="prompt_retire"),
    path("scales/", clinic.scale_list, name="scale_list"),
    path("scales/new/", clinic.scale_edit, name="scale_new"),
    path("scales/<id:scale_id>/", clinic.scale_edit, name="scale_edit"),
    path("scales/<id:scale_id>/retire/", clinic.scale_retire, name="scale_retire"),
    path("guides/", guides.guide_index, name="guide_index"),
    *[
        path(f"guides/{g.slug}/", guides.guide_view(g.slug), name=g.url_name.split(":")[1])
        for g in GUIDES
    ],
]
