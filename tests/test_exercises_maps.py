"""Relationship maps: creating, the editor's save endpoint, the keyboard forms, snapshots."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from attachment_app.models import AuditEvent
from exercises.maps import compare_maps, map_data
from exercises.models import (
    Figure,
    FigureRole,
    MapSnapshot,
    MapTheme,
    RelationshipMap,
    Tie,
    TieKind,
)
from exercises.models.maps import MAX_FIGURES
from tests.conftest import need, twice_at_once
from tests.factories import ClientFactory
from tests.factories_exercises import FigureFactory, RelationshipMapFactory, TherapySessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rmap(client_record):
    rmap = RelationshipMapFactory(client=client_record)
    FigureFactory(map=rmap, role=FigureRole.CLIENT, label="Robin")
    return rmap


def save(as_ana, rmap, op, raw=None):
    return as_ana.post(
        reverse("exercises:map_save", args=[rmap.client_id, rmap.pk]),
        data=raw if raw is not None else json.dumps(op),
        content_type="application/json",
    )


def test_a_new_map_puts_the_client_at_the_centre_and_links_the_session(as_ana, client_record):
    session = TherapySessionFactory(client=client_record)
    response = as_ana.post(
        reverse("exercises:map_new", args=[client_record.pk]),
        {"title": "Family", "date": "2026-03-02", "session": session.pk},
    )
    rmap = RelationshipMap.objects.get(client=client_record)
    assert response.status_code == 302
    assert rmap.session == session
    centre = rmap.figures.get()
    assert centre.role == FigureRole.CLIENT and (centre.x, centre.y) == (400, 280)
    assert AuditEvent.objects.filter(client_id=client_record.pk, action="create").exists()


def test_the_session_must_be_one_of_this_clients_sessions(as_ana, ana, client_record):
    other = ClientFactory(primary_therapist=ana)
    foreign = TherapySessionFactory(client=other)
    response = as_ana.post(
        reverse("exercises:map_new", args=[client_record.pk]),
        {"title": "Family", "date": "2026-03-02", "session": foreign.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not RelationshipMap.objects.exists()


def test_the_editor_adds_moves_ties_and_rates_and_gets_the_rendered_map_back(as_ana, rmap):
    centre = rmap.figures.get()
    added = save(as_ana, rmap, {"op": "add_figure", "role": "mother", "label": "Mum"})
    assert added.status_code == 200
    body = added.json()
    mum = Figure.objects.get(pk=body["figure"])
    assert "Mum" in body["svg"] and "Mum" in body["tables"]

    moved = save(as_ana, rmap, {"op": "move_figure", "figure": str(mum.pk), "x": 120, "y": 90})
    assert moved.status_code == 200
    mum.refresh_from_db()
    assert (mum.x, mum.y, mum.label) == (120, 90, "Mum")

    tied = save(
        as_ana, rmap, {"op": "add_tie", "source": str(mum.pk), "target": str(centre.pk)}
    ).json()
    tie = Tie.objects.get(pk=tied["tie"])
    rated = save(
        as_ana,
        rmap,
        {"op": "update_tie", "tie": str(tie.pk), "closeness": 5, "tension": 4, "kind": "fused"},
    )
    assert rated.status_code == 200
    tie.refresh_from_db()
    assert (tie.closeness, tie.trust, tie.tension, tie.kind) == (5, 3, 4, TieKind.FUSED)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "must be an object"),
        ('{"op": "explode"}', "Unknown change"),
        ('{"op": "move_figure", "figure": "nope", "x": 1, "y": 1}', "not on this map"),
        ('{"op": "add_figure", "label": ""}', "Label"),
        ('{"op": "add_figure", "label": "X", "x": 5000}', "0 to 800"),
        ('{"op": "add_figure", "label": "X", "role": "client"}', "Role"),
        ('{"op": "add_figure", "label": {"a": 1}}', "cannot be used"),
    ],
)
def test_bad_editor_data_answers_400_with_a_clear_message(as_ana, rmap, raw, message):
    before = Figure.objects.count()
    response = save(as_ana, rmap, None, raw=raw)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert Figure.objects.count() == before


def test_a_tie_cannot_join_a_figure_to_itself_or_reach_into_another_map(as_ana, rmap, ana):
    centre = rmap.figures.get()
    other_map = RelationshipMapFactory(client=ClientFactory(primary_therapist=ana))
    stranger = FigureFactory(map=other_map)
    same = save(as_ana, rmap, {"op": "add_tie", "source": str(centre.pk), "target": str(centre.pk)})
    foreign = save(
        as_ana, rmap, {"op": "add_tie", "source": str(centre.pk), "target": str(stranger.pk)}
    )
    assert same.status_code == 400 and "two different figures" in same.json()["error"]
    assert foreign.status_code == 400 and "valid choice" in foreign.json()["error"]
    assert not Tie.objects.exists()


def test_ratings_beyond_five_are_refused(as_ana, rmap):
    centre = rmap.figures.get()
    friend = FigureFactory(map=rmap)
    response = save(
        as_ana,
        rmap,
        {"op": "add_tie", "source": str(centre.pk), "target": str(friend.pk), "trust": 9},
    )
    assert response.status_code == 400
    assert "Trust" in response.json()["error"]
    assert "trust" in response.json()["errors"]


def test_the_client_figure_cannot_be_removed(as_ana, rmap):
    centre = rmap.figures.get()
    response = save(as_ana, rmap, {"op": "delete_figure", "figure": str(centre.pk)})
    assert response.status_code == 400
    assert Figure.objects.filter(pk=centre.pk).exists()


def test_a_map_holds_at_most_two_hundred_figures(as_ana, rmap):
    Figure.objects.bulk_create(
        [Figure(map=rmap, label=f"F{i}", role="friend") for i in range(MAX_FIGURES - 1)]
    )
    response = save(as_ana, rmap, {"op": "add_figure", "label": "One too many"})
    assert response.status_code == 400
    assert "at most 200 figures" in response.json()["error"]
    assert rmap.figures.count() == MAX_FIGURES


def test_the_keyboard_forms_reach_the_same_data(as_ana, rmap):
    centre = rmap.figures.get()
    url = reverse("exercises:figure_add", args=[rmap.client_id, rmap.pk])
    response = as_ana.post(url, {"role": "sibling", "label": "Kit", "x": "", "y": ""})
    assert response.status_code == 302
    kit = Figure.objects.get(label="Kit")
    response = as_ana.post(
        reverse("exercises:tie_add", args=[rmap.client_id, rmap.pk]),
        {
            "source": centre.pk,
            "target": kit.pk,
            "kind": "cut_off",
            "direction": "one_way",
            "closeness": 0,
            "trust": 1,
            "tension": 2,
        },
    )
    assert response.status_code == 302
    tie = Tie.objects.get()
    edit = reverse("exercises:tie_edit", args=[rmap.client_id, rmap.pk, tie.pk])
    as_ana.post(
        edit,
        {
            "source": centre.pk,
            "target": kit.pk,
            "kind": "close",
            "direction": "mutual",
            "closeness": 4,
            "trust": 4,
            "tension": 0,
        },
    )
    tie.refresh_from_db()
    assert (tie.kind, tie.closeness) == ("close", 4)


def test_a_theme_is_added_edited_and_removed_like_a_figure_or_a_tie(as_ana, rmap):
    add = reverse("exercises:theme_add", args=[rmap.client_id, rmap.pk])
    assert as_ana.post(add, {"name": "", "note": ""}).status_code == 400
    response = as_ana.post(add, {"name": "Fear of leaving", "note": ""})
    assert response.status_code == 302 and response["Location"].endswith("#themes")
    theme = MapTheme.objects.get(map=rmap)
    edit = reverse("exercises:theme_edit", args=[rmap.client_id, rmap.pk, theme.pk])
    assert as_ana.post(edit, {"name": "Fear of being left", "note": ""}).status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Fear of being left"
    response = as_ana.post(edit, {"delete": "1"})
    assert response.status_code == 302 and not MapTheme.objects.filter(map=rmap).exists()
    summaries = list(
        AuditEvent.objects.filter(client_id=rmap.client_id, object_id=str(rmap.pk))
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries[-3:] == [
        "Theme added to relationship map",
        "Theme edited on relationship map",
        "Theme removed from relationship map",
    ]


def test_a_failed_keyboard_form_keeps_what_was_typed_and_shows_the_error(as_ana, rmap):
    response = as_ana.post(
        reverse("exercises:figure_add", args=[rmap.client_id, rmap.pk]),
        {"role": "friend", "label": "Typed label", "x": "9999", "y": "10"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed label" in page and "Use a number from 0 to 800" in page


def test_a_snapshot_keeps_the_map_as_it_was_and_the_comparison_says_what_changed(
    as_ana, rmap, client_record
):
    centre = rmap.figures.get()
    partner = FigureFactory(map=rmap, label="Sam", role="partner")
    tie = Tie.objects.create(
        map=rmap, source=centre, target=partner, closeness=2, trust=2, tension=4
    )
    as_ana.post(
        reverse("exercises:snapshot_create", args=[client_record.pk, rmap.pk]),
        {"taken_on": "2026-01-10", "label": "Intake"},
    )
    snapshot = MapSnapshot.objects.get()
    tie.closeness, tie.tension = 4, 1
    tie.save()
    FigureFactory(map=rmap, label="New friend")
    snapshot.refresh_from_db()
    assert snapshot.data["ties"][0]["closeness"] == 2  # the snapshot did not move

    response = as_ana.get(
        reverse("exercises:map_compare", args=[client_record.pk, rmap.pk]),
        {"a": str(snapshot.pk), "b": "current"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Closer", "Tension down", "Figure added", "New friend"):
        assert text in page
    assert page.count('class="relationship-map"') == 2


def test_comparing_two_map_data_names_cut_offs_and_removed_figures():
    before = {
        "figures": [{"id": "a", "label": "Me"}, {"id": "b", "label": "Dad"}],
        "ties": [
            {
                "source": "a",
                "target": "b",
                "kind": "close",
                "closeness": 3,
                "trust": 3,
                "tension": 1,
            }
        ],
    }
    after = {
        "figures": [{"id": "a", "label": "Me"}, {"id": "b", "label": "Dad"}],
        "ties": [
            {
                "source": "b",
                "target": "a",
                "kind": "cut_off",
                "closeness": 0,
                "trust": 3,
                "tension": 1,
            }
        ],
    }
    changes = {
        (c.what, c.subject.replace("Dad – Me", "Me – Dad")) for c in compare_maps(before, after)
    }
    assert ("Now cut off", "Me – Dad") in changes
    assert ("More distant", "Me – Dad") in changes
    gone = compare_maps(before, {"figures": [before["figures"][0]], "ties": []})
    assert {c.what for c in gone} == {"Figure no longer on the map", "Tie removed"}


def test_the_map_page_shows_the_svg_with_escaped_labels(as_ana, rmap):
    FigureFactory(map=rmap, label="<script>x</script>")
    response = as_ana.get(rmap.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert 'id="map-data"' in page  # the editor's data, a JSON block, not executable script


def test_map_data_is_read_in_a_fixed_number_of_queries(rmap, django_assert_num_queries):
    MapTheme.objects.create(map=rmap, name="Theme")
    with django_assert_num_queries(4):
        map_data(rmap)
    Figure.objects.bulk_create([Figure(map=rmap, label=f"F{i}") for i in range(30)])
    with django_assert_num_queries(4):
        map_data(rmap)


def test_the_browser_editor_writes_one_audit_row_per_editing_burst(as_ana, ana, ben, rmap):
    import datetime as dt

    from django.utils import timezone

    from exercises.services import MAP_EDIT_BURST, MAP_EDITED, relationship_map_edit_audit

    def edit_rows():
        return AuditEvent.objects.filter(object_id=str(rmap.pk), summary=MAP_EDITED)

    centre = rmap.figures.get()
    for x in (100, 120, 140, 160):
        op = {"op": "move_figure", "figure": str(centre.pk), "x": x, "y": 90}
        assert save(as_ana, rmap, op).status_code == 200
    # The first drag is audited; the rest of the burst is not written again.
    assert list(edit_rows().values_list("actor", flat=True)) == [ana.pk]
    # Another person's edit is their own burst.
    assert relationship_map_edit_audit(rmap=rmap, by=ben) is not None
    assert relationship_map_edit_audit(rmap=rmap, by=ben) is None
    # After a pause longer than the burst window, the next edit is audited again.
    later = timezone.now() + MAP_EDIT_BURST + dt.timedelta(seconds=1)
    assert relationship_map_edit_audit(rmap=rmap, by=ana, now=later) is not None
    assert edit_rows().filter(actor=ana).count() == 2


def test_two_edits_at_once_write_one_row_for_their_burst(transactional_db, ana, rmap):
    from exercises.services import MAP_EDITED, relationship_map_edit_audit

    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    written = twice_at_once(lambda: relationship_map_edit_audit(rmap=rmap, by=ana))
    assert sum(row is not None for row in written) == 1
    assert AuditEvent.objects.filter(object_id=str(rmap.pk), summary=MAP_EDITED).count() == 1
