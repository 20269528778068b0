"""An admin's morning on a tablet: the main sections stay one tap away and the
capacity chart's text stays readable at 820 px."""

from playwright.sync_api import Page, expect

from tests.e2e.browser import signed_in
from tests.factories_caseload import make_caseload


def test_at_tablet_width_the_admins_sections_are_in_view_and_the_chart_readable(
    page: Page, app, dee, ana, ben
):
    make_caseload(therapists=[ana, ben], n=10)
    page.set_viewport_size({"width": 820, "height": 1180})
    signed_in(page, dee, app.url)
    page.goto("/caseload/")
    nav = page.get_by_role("navigation", name="Main")
    for section in ["Caseload", "Therapists", "Audit trail", "Reports"]:
        expect(nav.get_by_role("link", name=section, exact=True)).to_be_visible()
    nav.get_by_role("link", name="Audit trail", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit")

    page.goto("/caseload/")
    heights = page.eval_on_selector_all(
        "svg.load-chart text", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 13, heights  # rendered glyph box, in CSS pixels
