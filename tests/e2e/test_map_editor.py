"""The relationship-map editor in a real browser: journey 4, by mouse and by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from exercises.models import Figure, MapSnapshot, RelationshipMap, Tie
from tests.conftest import wait_until
from tests.e2e.browser import tab_to
from tests.factories_exercises import SafeSpacePlanFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def page(ana_page):
    """The shared tab of tests/e2e/conftest.py, signed in as Ana."""
    return ana_page


def start_a_map(page, client_record) -> RelationshipMap:
    page.goto(f"/clients/{client_record.pk}/")
    page.get_by_role("link", name="New relationship map").click()
    page.get_by_label("Title").fill("Key relationships")
    page.get_by_role("button", name="Create the map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key relationships")
    return RelationshipMap.objects.get(client=client_record)


def figure(page, rmap, label: str):
    """The figure's circle on the canvas."""
    pk = Figure.objects.get(map=rmap, label=label).pk
    return page.locator(f'#map-canvas [data-figure-id="{pk}"] circle').first


def add_figure_by_mouse(page, rmap, role: str, label: str) -> None:
    page.select_option("#editor-role", role)
    page.fill("#editor-label", label)
    page.click('[data-map-action="add-figure"]')
    expect(page.locator("#editor-label")).to_have_value("")  # cleared once saved
    expect(figure(page, rmap, label)).to_be_visible()


def drag(page, circle, dx: float, dy: float) -> None:
    box = circle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=4)
    page.mouse.move(x + dx, y + dy, steps=4)
    page.mouse.up()


def rate_tie(page, closeness: int, trust: int, tension: int) -> None:
    panel = page.locator("#tie-panel")
    expect(panel).to_be_visible()
    panel.locator("#tie-closeness").fill(str(closeness))
    panel.locator("#tie-trust").fill(str(trust))
    panel.locator("#tie-tension").fill(str(tension))
    panel.get_by_role("button", name="Save tie").click()
    expect(page.locator("[data-map-status]")).to_contain_text("Saved")


def draw_tie_by_mouse(page, rmap, source: str, target: str) -> None:
    page.get_by_role("button", name="Draw a tie").click()
    figure(page, rmap, source).click()
    figure(page, rmap, target).click()
    # The panel may still show the previous tie until the new one is saved: wait for it.
    expect(page.locator("#tie-panel h2")).to_have_text(f"Tie: {source} – {target}")


def compare_the_snapshot_with_the_map_now(page):
    snapshots = page.get_by_role("region", name="Snapshots")
    snapshots.get_by_role("button", name="Show side by side").click()
    return page.get_by_role("region", name=re.compile("^From"))


def test_a_therapist_builds_a_map_by_mouse_snapshots_it_changes_a_tie_and_compares(
    page, client_record
):
    rmap = start_a_map(page, client_record)

    add_figure_by_mouse(page, rmap, "mother", "Mum")
    add_figure_by_mouse(page, rmap, "partner", "Sam")
    add_figure_by_mouse(page, rmap, "friend", "Jo")
    mum = Figure.objects.get(map=rmap, label="Mum")
    drag(page, figure(page, rmap, "Mum"), -150, 0)
    moved = wait_until(lambda: Figure.objects.filter(pk=mum.pk, x__lt=mum.x - 100).first(), 10)
    assert moved.y == mum.y

    draw_tie_by_mouse(page, rmap, "Mum", "Robin")
    rate_tie(page, closeness=4, trust=2, tension=1)
    draw_tie_by_mouse(page, rmap, "Robin", "Sam")
    rate_tie(page, closeness=5, trust=4, tension=2)
    ties = page.locator("#map-tables table").nth(1)
    expect(ties.get_by_role("row")).to_have_count(3)  # a header and two ties
    expect(ties.get_by_role("row", name=re.compile("Mum.*Robin"))).to_contain_text(
        "4 of 5 2 of 5 1 of 5"
    )

    snapshots = page.get_by_role("region", name="Snapshots")
    snapshots.get_by_label("Label").fill("First map")
    snapshots.get_by_role("button", name="Save a snapshot").click()
    expect(page.get_by_role("link", name="First map")).to_be_visible()

    tie = Tie.objects.get(map=rmap, source=mum)
    page.locator(f'#map-canvas [data-tie-id="{tie.pk}"]').click()
    rate_tie(page, closeness=4, trust=2, tension=4)

    changes = compare_the_snapshot_with_the_map_now(page)
    expect(changes.get_by_role("row", name=re.compile("Tension up"))).to_contain_text(
        "tension 1 → 4"
    )
    expect(changes.get_by_role("row")).to_have_count(2)
    assert not page.errors, page.errors


def chosen(page, selector: str) -> str:
    return page.locator(selector).input_value()


def test_a_figure_dragged_off_the_right_edge_stays_whole_and_comparisons_keep_their_pair(
    page, client_record
):
    rmap = start_a_map(page, client_record)
    wrap = page.locator("#map-canvas").bounding_box()
    drawing = page.locator("#map-canvas svg").bounding_box()
    assert drawing["width"] >= wrap["width"] - 4  # the drawing fills its frame

    add_figure_by_mouse(page, rmap, "mother", "Mum")
    add_figure_by_mouse(page, rmap, "partner", "Sam")
    mum, sam = (Figure.objects.get(map=rmap, label=n) for n in ("Mum", "Sam"))
    assert (mum.x, mum.y) != (sam.x, sam.y)  # placed apart, not stacked
    drag(page, figure(page, rmap, "Mum"), drawing["width"], drawing["height"])
    moved = wait_until(lambda: Figure.objects.filter(pk=mum.pk).exclude(x=mum.x).first(), 10)

    def boxes():
        # The save's answer redraws the canvas; an element caught mid-redraw has no box.
        circle = figure(page, rmap, "Mum").bounding_box()
        canvas = page.locator("#map-canvas .map-canvas").bounding_box()
        return (circle, canvas) if circle and canvas else None

    circle, canvas = wait_until(boxes, 10)
    assert circle["x"] + circle["width"] <= canvas["x"] + canvas["width"]
    assert circle["y"] + circle["height"] <= canvas["y"] + canvas["height"]
    assert moved.x < 800 and moved.y < 560

    snapshots = page.get_by_role("region", name="Snapshots")
    for label in ("First", "Second"):
        snapshots.get_by_label("Label").fill(label)
        snapshots.get_by_role("button", name="Save a snapshot").click()
        expect(page.get_by_role("link", name=label)).to_be_visible()
    first, second = (MapSnapshot.objects.get(map=rmap, label=n) for n in ("First", "Second"))

    # Both lists read the same way, newest first.
    for select in ("#compare-a", "#compare-b"):
        values = page.locator(f"{select} option").evaluate_all("els => els.map(e => e.value)")
        assert values == ["current", str(second.pk), str(first.pk)]
    page.select_option("#compare-a", str(first.pk))
    page.select_option("#compare-b", str(second.pk))
    page.get_by_role("button", name="Show side by side").click()
    expect(page.get_by_role("region", name=re.compile("^From First"))).to_be_visible()
    assert chosen(page, "#compare-a") == str(first.pk)
    assert chosen(page, "#compare-b") == str(second.pk)

    page.select_option("#compare-b", str(first.pk))
    page.get_by_role("button", name="Show side by side").click()
    expect(page.get_by_text("a snapshot cannot be compared with itself")).to_be_visible()
    assert chosen(page, "#compare-a") == chosen(page, "#compare-b") == str(first.pk)
    assert not page.errors, page.errors


def test_the_safe_space_opens_in_one_click_from_the_client_page(page, live_server, client_record):
    SafeSpacePlanFactory(client=client_record, cue_word="Harbour", techniques=["feet_on_floor"])
    page.goto(live_server.url + f"/clients/{client_record.pk}/")
    page.click("text=Safe space and grounding")
    page.wait_for_selector("#safe-space-panel.show")
    page.wait_for_selector("#safe-space-panel-body :text('Harbour')")
    assert "Feet on the floor" in page.inner_text("#safe-space-panel-body")
    assert not page.errors, page.errors


# The same journey with the keyboard alone, through the map's tables and forms.

FIGURE_FORM = 'form[action$="/figures/add/"]'
TIE_FORM = 'form[action$="/ties/add/"]'


def follow(page) -> None:
    """Enter on the focused link or button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def keys(page, text: str) -> None:
    """Type into the focused field, replacing what is there (a select picks by typing)."""
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def fill_by_keyboard(page, fields: dict[str, str], inside: str | None = None) -> None:
    for label, text in fields.items():
        tab_to(page, label, limit=120, inside=inside)
        keys(page, text)


def add_figure_by_keyboard(page, role: str, label: str) -> None:
    fill_by_keyboard(page, {"Role": role, "Label": label}, inside=FIGURE_FORM)
    tab_to(page, "Add figure", inside=FIGURE_FORM)
    follow(page)
    expect(page.locator("#map-tables")).to_contain_text(label)


def add_tie_by_keyboard(page, source: str, target: str, ratings: dict[str, str]) -> None:
    fill_by_keyboard(page, {"From": source, "To": target, **ratings}, inside=TIE_FORM)
    tab_to(page, "Add tie", inside=TIE_FORM)
    follow(page)
    expect(page.locator("#map-tables")).to_contain_text(target)


def test_with_the_keyboard_alone_a_therapist_builds_a_map_through_its_tables_and_compares(
    page, client_record
):
    page.goto(f"/clients/{client_record.pk}/")
    tab_to(page, "New relationship map", limit=80)
    follow(page)
    fill_by_keyboard(page, {"Title": "Key relationships"})
    tab_to(page, "Create the map")
    follow(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Key relationships")
    rmap = RelationshipMap.objects.get(client=client_record)

    add_figure_by_keyboard(page, "Mother", "Mum")
    add_figure_by_keyboard(page, "Partner", "Sam")
    add_figure_by_keyboard(page, "Friend", "Jo")
    assert Figure.objects.get(map=rmap, label="Mum").role == "mother"
    tab_to(page, "Edit Mum", limit=120)
    follow(page)
    fill_by_keyboard(page, {"Y": "450"})
    tab_to(page, "Save figure")
    follow(page)
    expect(page.locator("#map-tables")).to_contain_text("450")

    add_tie_by_keyboard(page, "Mum", "Robin", {"Closeness": "4", "Trust": "2", "Tension": "1"})
    add_tie_by_keyboard(page, "Robin", "Sam", {"Closeness": "5", "Trust": "4", "Tension": "2"})
    assert Tie.objects.filter(map=rmap).count() == 2

    fill_by_keyboard(page, {"Label (optional)": "First map"})
    tab_to(page, "Save a snapshot")
    follow(page)
    expect(page.get_by_role("link", name="First map")).to_be_visible()

    tab_to(page, "Edit tie Mum to Robin", limit=120)
    follow(page)
    fill_by_keyboard(page, {"Tension": "4"})
    tab_to(page, "Save tie")
    follow(page)
    assert wait_until(lambda: Tie.objects.filter(map=rmap, tension=4).exists(), 10)

    tab_to(page, "Show side by side", limit=200)
    follow(page)
    changes = page.get_by_role("region", name=re.compile("^From"))
    expect(changes.get_by_role("row", name=re.compile("Tension up"))).to_contain_text(
        "tension 1 → 4"
    )
    assert not page.errors, page.errors
