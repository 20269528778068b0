"""The one relationship-map renderer: deterministic, escaped, always with its legend."""

import random
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own renderer output

from exercises.models import TieKind
from exercises.svg.charts import PlanePoint, Series, line_chart_svg, style_plane_svg
from exercises.svg.relationship_map import render_map_svg


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, in a test


def sample_map(figures: int = 6, ties: int = 8, seed: int = 3) -> dict:
    rng = random.Random(seed)
    figs = [
        {
            "id": f"00000000-0000-0000-0000-{i:012d}",
            "role": "client" if i == 0 else rng.choice(["mother", "friend", "partner"]),
            "label": f"Person {i}",
            "deceased": i % 5 == 4,
            "x": rng.randint(30, 770),
            "y": rng.randint(30, 530),
        }
        for i in range(figures)
    ]
    kinds = [k for k, _ in TieKind.choices]
    tie_list = []
    for j in range(ties):
        a, b = rng.sample(range(figures), 2)
        tie_list.append(
            {
                "id": f"10000000-0000-0000-0000-{j:012d}",
                "source": figs[a]["id"],
                "target": figs[b]["id"],
                "closeness": rng.randint(0, 5),
                "trust": rng.randint(0, 5),
                "tension": rng.randint(0, 5),
                "direction": rng.choice(["mutual", "one_way"]),
                "kind": kinds[j % len(kinds)],
            }
        )
    return {"title": "Map", "date": "2026-01-02", "figures": figs, "ties": tie_list, "themes": []}


def test_the_same_map_always_gives_the_same_svg():
    data = sample_map()
    shuffled = {**data, "figures": data["figures"][::-1], "ties": data["ties"][::-1]}
    assert render_map_svg(data) == render_map_svg(sample_map())
    assert render_map_svg(data) == render_map_svg(shuffled)


def test_a_different_map_gives_a_different_svg():
    assert render_map_svg(sample_map(seed=3)) != render_map_svg(sample_map(seed=4))


def test_a_figure_labelled_script_renders_as_text():
    data = sample_map()
    data["figures"][1]["label"] = "<script>alert(1)</script>"
    data["title"] = 'Map "x" & <b>'
    svg = render_map_svg(data)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<b>" not in svg
    root = parse(svg)  # still well-formed XML
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(t.startswith("<script>") for t in texts)


def test_every_rendering_carries_the_legend_with_every_kind_of_tie():
    svg = render_map_svg({"figures": [], "ties": []})
    assert 'class="map-legend"' in svg
    for _, label in TieKind.choices:
        assert f">{label}<" in svg


def test_the_svg_is_well_formed_and_names_each_figure_and_tie():
    data = sample_map(figures=5, ties=4)
    root = parse(render_map_svg(data))
    ns = "{http://www.w3.org/2000/svg}"
    figures = [g for g in root.iter(f"{ns}g") if g.get("class") == "map-figure"]
    ties = [g for g in root.iter(f"{ns}g") if g.get("class") == "map-tie"]
    assert len(figures) == 5
    assert len(ties) == 4
    assert all(g.find(f"{ns}title") is not None for g in figures + ties)


def test_ties_to_a_missing_figure_are_left_out_not_an_error():
    data = sample_map(figures=3, ties=2)
    data["ties"][0]["target"] = "gone"
    svg = render_map_svg(data)
    assert svg.count('class="map-tie"') == 1


def test_the_style_plane_names_the_quadrants_and_dates_its_points():
    svg = style_plane_svg([PlanePoint("1 Jan", 6, 2), PlanePoint("1 Mar", 4, 3)])
    for name in ("Secure", "Anxious", "Avoidant", "Disorganized"):
        assert name in svg
    # Each point is labelled with its date, not a number to look up in the table.
    assert re.search(r"<text[^>]*>1 Jan</text>", svg) and re.search(r"<text[^>]*>1 Mar</text>", svg)
    assert not re.search(r"<text[^>]*>[12]</text></g>", svg)
    # The aid note is said once, by the page or document beside the chart, not in the chart.
    assert "not a validated instrument" not in svg
    assert "<polyline" in svg  # the path across dates
    parse(svg)


def test_line_chart_series_differ_by_marker_not_only_colour():
    svg = line_chart_svg(
        title="t",
        x_labels=["a", "b"],
        series=[Series("Before", [5, 4]), Series("After", [3, None])],
        y_min=0,
        y_max=10,
        y_label="Distress",
    )
    assert "<circle" in svg and "<rect" in svg and 'stroke-dasharray="6 4"' in svg
    parse(svg)
