"""The relationship map as a therapist sees it: comparisons that keep what is shown, a
drawing that fills its frame and keeps every figure whole, new figures placed where there
is room, and tie ratings that say what they are."""

import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest
from django.urls import reverse

from exercises.maps import free_spot
from exercises.models import Figure, FigureRole, Tie
from exercises.models.maps import CANVAS_HEIGHT, CANVAS_WIDTH
from exercises.services import relationship_map_snapshot
from exercises.svg.relationship_map import LEGEND_GAP, RADIUS, map_drawing, render_map_svg
from tests.factories_exercises import FigureFactory, RelationshipMapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rmap(client_record):
    rmap = RelationshipMapFactory(client=client_record)
    FigureFactory(map=rmap, role=FigureRole.CLIENT, label="Robin", x=400, y=280)
    return rmap


def save(as_ana, rmap, op):
    return as_ana.post(
        reverse("exercises:map_save", args=[rmap.client_id, rmap.pk]),
        data=json.dumps(op),
        content_type="application/json",
    )


def selected(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]+)"\s*selected', select)


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]+)"', select)


def snapshots(rmap, ana):
    first = relationship_map_snapshot(
        rmap=rmap, user=ana, taken_on=dt.date(2026, 1, 5), label="Intake"
    )
    second = relationship_map_snapshot(
        rmap=rmap, user=ana, taken_on=dt.date(2026, 3, 5), label="Spring"
    )
    return first, second


def test_after_comparing_two_snapshots_the_selectors_keep_the_pair_shown(as_ana, ana, rmap):
    first, second = snapshots(rmap, ana)
    url = reverse("exercises:map_compare", args=[rmap.client_id, rmap.pk])
    page = as_ana.get(url, {"a": str(first.pk), "b": str(second.pk)}).content.decode()
    assert "From Intake" in page
    assert selected(page, "a") == [str(first.pk)]
    assert selected(page, "b") == [str(second.pk)]


def test_both_selectors_list_the_moments_in_the_same_order_newest_first(as_ana, ana, rmap):
    first, second = snapshots(rmap, ana)
    for url in (
        reverse("exercises:map_compare", args=[rmap.client_id, rmap.pk]),
        rmap.get_absolute_url(),
    ):
        page = as_ana.get(url).content.decode()
        newest_first = ["current", str(second.pk), str(first.pk)]
        assert options(page, "a") == newest_first
        assert options(page, "b") == newest_first


def test_a_snapshot_cannot_be_compared_with_itself(as_ana, ana, rmap):
    first, _ = snapshots(rmap, ana)
    url = reverse("exercises:map_compare", args=[rmap.client_id, rmap.pk])
    page = as_ana.get(url, {"a": str(first.pk), "b": str(first.pk)}).content.decode()
    assert "a snapshot cannot be compared with itself" in page
    assert "What changed" in page and 'id="changes-heading"' not in page
    page = as_ana.get(url, {"a": "current", "b": "current"}).content.decode()
    assert "cannot be compared with itself" in page


def figure_boxes(svg: str):
    """Each figure's centre as drawn, from the SVG."""
    for x, y in re.findall(r'class="map-figure"[^>]*transform="translate\((\S+) (\S+)\)"', svg):
        yield float(x), float(y)


def test_a_figure_dragged_past_the_edge_is_kept_whole_inside_the_drawing(as_ana, rmap):
    mum = FigureFactory(map=rmap, label="Mum", x=200, y=200)
    response = save(as_ana, rmap, {"op": "move_figure", "figure": str(mum.pk), "x": 800, "y": 560})
    assert response.status_code == 200
    mum.refresh_from_db()
    # The circle and the two-line name plate below it stay inside the 800 × 560 drawing.
    assert mum.x + 81 <= CANVAS_WIDTH and mum.y + RADIUS + 31 <= CANVAS_HEIGHT
    response = save(as_ana, rmap, {"op": "move_figure", "figure": str(mum.pk), "x": 0, "y": 0})
    mum.refresh_from_db()
    assert mum.x - 81 >= 0 and mum.y - RADIUS - 16 >= 0


def test_the_keyboard_form_clamps_a_figure_into_the_drawing_too(as_ana, rmap):
    response = as_ana.post(
        reverse("exercises:figure_add", args=[rmap.client_id, rmap.pk]),
        {"role": FigureRole.FRIEND, "label": "Sam", "x": "800", "y": "0"},
    )
    assert response.status_code == 302
    sam = Figure.objects.get(label="Sam")
    assert 0 < sam.x < CANVAS_WIDTH - 80 and sam.y > RADIUS


def test_a_figure_saved_at_the_edge_before_is_drawn_inside_and_above_the_legend():
    data = {
        "figures": [
            {"id": "a", "role": "client", "label": "Me", "x": 800, "y": 560},
            {"id": "b", "role": "friend", "label": "Dad", "x": 0, "y": 0},
        ],
        "ties": [],
    }
    svg = render_map_svg(data)
    assert len(list(figure_boxes(svg))) == 2
    for x, y in figure_boxes(svg):
        assert RADIUS + 60 <= x <= CANVAS_WIDTH - RADIUS - 60
        assert y + RADIUS + 31 <= CANVAS_HEIGHT  # name plate ends above the drawing's edge
    legend = re.search(r'class="map-legend" transform="translate\(0 (\d+)\)"', svg)
    assert int(legend.group(1)) >= CANVAS_HEIGHT + LEGEND_GAP


def test_new_figures_are_placed_where_there_is_room_not_stacked_in_a_corner(as_ana, rmap):
    for label in ("Mum", "Dad", "Sam", "Alex", "Jo", "Kim"):
        assert save(as_ana, rmap, {"op": "add_figure", "label": label}).status_code == 200
    spots = list(Figure.objects.filter(map=rmap).values_list("x", "y"))
    assert len(set(spots)) == len(spots)
    for i, (x1, y1) in enumerate(spots):
        for x2, y2 in spots[i + 1 :]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 90
    # Spread over the drawing, not a row along the top-left.
    assert max(y for _, y in spots) - min(y for _, y in spots) >= 150


def test_a_crowded_map_still_offers_the_emptiest_spot():
    taken = [(x, y) for x in range(84, 717, 60) for y in range(44, 501, 60)]
    x, y = free_spot(taken)
    assert 84 <= x <= 716 and 44 <= y <= 500


def test_tie_labels_say_what_each_rating_means(as_ana, rmap):
    mum = FigureFactory(map=rmap, label="Mum", x=150, y=150)
    Tie.objects.create(
        map=rmap,
        source=rmap.figures.get(role="client"),
        target=mum,
        closeness=3,
        trust=4,
        tension=1,
    )
    page = as_ana.get(rmap.get_absolute_url()).content.decode()
    for words in ("closeness 3 of 5", "trust 4 of 5", "tension 1 of 5"):
        assert words in page
    assert "3/4/1" not in page


def test_the_drawing_fills_its_frame_on_screen():
    css = Path("static/css/app.css").read_text()
    rule = re.search(r"\.map-canvas-wrap svg \{([^}]*)\}", css).group(1)
    assert "width: 100%" in rule.replace("max-width: 100%", "")


def test_the_printed_map_sets_the_same_words_as_boxes_over_shapes_without_svg_text():
    """The PDF's map: WeasyPrint lays SVG text out letter by letter, so its text is set as
    boxes over the shapes (exercises.exports.print_labels); the words are the screen's."""
    import xml.etree.ElementTree as ET

    data = {
        "figures": [
            {"id": "a", "role": "client", "label": "Robin", "x": 200, "y": 200},
            {"id": "b", "role": "mother", "label": "Mum", "x": 500, "y": 300, "deceased": True},
        ],
        "ties": [
            {
                "id": "t",
                "source": "a",
                "target": "b",
                "closeness": 3,
                "trust": 4,
                "tension": 1,
                "direction": "mutual",
                "kind": "conflict",
            },
        ],
    }
    drawing = map_drawing(data, marks={"b": "new"})
    ns = "{http://www.w3.org/2000/svg}"
    screen = ET.fromstring(render_map_svg(data, marks={"b": "new"}))  # noqa: S314 - our own output
    words = []
    for text in screen.iter(f"{ns}text"):
        spans = text.findall(f"{ns}tspan")
        words += [s.text for s in spans] if spans else [text.text]
    printed = [line for label in drawing.tie_labels + drawing.figure_labels for line in label.lines]
    assert sorted(printed) == sorted(words)
    assert "closeness 3 of 5" in drawing.tie_labels[0].lines
    for layer in (drawing.ties_svg, drawing.figures_svg):
        ET.fromstring(layer)  # noqa: S314 - our own output: each layer a whole SVG document
        assert "<text" not in layer and "<title>" not in layer and "map-tie-hit" not in layer
    assert "<circle" in drawing.figures_svg and "<circle" not in drawing.ties_svg


def map_with_ties(count: int) -> dict:
    """A map of the client and a ring of friends, one tie from each friend to the client."""
    figures = [{"id": "me", "role": "client", "label": "Robin", "x": 400, "y": 280}]
    ties = []
    for i in range(count):
        angle = 2 * math.pi * i / count
        fid = f"f{i:02}"
        figures.append(
            {
                "id": fid,
                "role": "friend",
                "label": f"Friend {i}",
                "x": round(400 + 300 * math.cos(angle)),
                "y": round(280 + 200 * math.sin(angle)),
            }
        )
        ties.append(
            {
                "id": f"t{i:02}",
                "source": fid,
                "target": "me",
                "closeness": i % 6,
                "trust": 3,
                "tension": 1,
                "direction": "mutual",
                "kind": "close",
            }
        )
    return {"figures": figures, "ties": ties}


def figure_layer_words(drawing) -> list[str]:
    """The words over the figures' layer: names, roles and the legend."""
    return [line for label in drawing.figure_labels for line in label.lines]


def test_a_printed_map_of_a_dozen_ties_rates_each_tie_on_the_picture():
    printed = map_drawing(map_with_ties(12))
    assert len(printed.tie_labels) == 12
    assert all(label.lines[0].startswith("closeness ") for label in printed.tie_labels)
    assert "Ratings on a tie: closeness, trust, tension, each 0–5" in figure_layer_words(printed)


def test_a_printed_map_past_a_dozen_ties_leaves_the_ratings_to_the_list_of_ties():
    """Thirteen plates overlap into a tangle on paper; the plan lists every tie's ratings."""
    data = map_with_ties(13)
    printed = map_drawing(data)
    assert printed.tie_labels == []
    words = figure_layer_words(printed)
    assert "Ratings (closeness, trust, tension, each 0–5): in the list of ties" in words
    assert not any(word.startswith("closeness ") for word in words)
    assert "Friend 12" in words  # the figures keep their names
    # On screen every tie keeps its ratings: a therapist can zoom and point at one.
    assert render_map_svg(data).count('class="map-tie-label"') == 13
