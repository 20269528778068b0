"""Helpers that let a browser journey read like the story it tells.

sign_in(page, ana)
page.get_by_role("link", name="Robin Example").click()
axe_check(page)
screens(page, "client-detail")
"""

import json
import os
import shutil
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

from tests.factories import TEST_PASSWORD

# Flags that keep a headless Chromium quiet and off the network (NOTES.md).
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Desktop first: the page fixture opens at this size.
VIEWPORTS = [(1280, 800), (820, 1180)]
SCREENS_DIR = Path(settings.BASE_DIR) / "artifacts" / "screens"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
LAYOUT_CHECK = (Path(__file__).parent / "layout_check.js").read_text()


def find_chromium() -> str | None:
    """The operating system's Chromium, or the one CHROMIUM names."""
    candidates = [os.environ.get("CHROMIUM")]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def sign_in(page: Page, person, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real form, as a person from tests/conftest.py."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name=person.full_name)).to_be_visible()


def signed_in(page: Page, person, base_url: str) -> None:
    """A session for `person` without the sign-in form (pages that are not about signing in)."""
    from django.test import Client

    login = Client()
    login.force_login(person)
    cookie = login.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )


def tab_to(page: Page, name: str, limit: int = 40, inside: str | None = None) -> None:
    """Press Tab until the focused control's name is `name` (keyboard-only journeys).

    The name is its aria-label, else its <label> (without the required asterisk),
    else its text or value. `inside`: a CSS selector the control must be within,
    for a page with several forms of like-named fields.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(inside) => { const el = document.activeElement;"
            " if (inside && !el.closest(inside)) return null;"
            " const label = el.labels && el.labels.length"
            "   ? el.labels[0].innerText.replace(/\\*\\s*$/, '') : '';"
            " return (el.getAttribute('aria-label') || label || el.innerText || el.value || '')"
            "   .replace(/\\s+/g, ' ').trim(); }",
            inside,
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} never took the focus within {limit} presses of Tab")


def axe_check(page: Page) -> None:
    """axe-core on the page as it is now: no WCAG 2.2 A or AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    at {json.dumps(node['target'])}" for node in violation["nodes"]]
    assert not violations, f"accessibility violations on {page.url}:\n" + "\n".join(lines)


def screens(page: Page, name: str, folder: Path = SCREENS_DIR) -> list[Path]:
    """Screenshot the page at desktop and tablet size into artifacts/screens/.

    At each size the page must not scroll sideways and no two visible controls
    (links, buttons, fields) may overlap.
    """
    folder.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    files, problems = [], []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        file = folder / f"{name}-{width}x{height}.png"
        page.screenshot(path=str(file), full_page=True)
        files.append(file)
        layout = page.evaluate(LAYOUT_CHECK)
        if layout["scrollWidth"] > layout["clientWidth"]:
            problems.append(
                f"{width}x{height}: scrolls sideways "
                f"({layout['scrollWidth']}px of content in {layout['clientWidth']}px)"
            )
        problems += [f"{width}x{height}: {overlap}" for overlap in layout["overlaps"]]
    if original:
        page.set_viewport_size(original)
    assert not problems, f"layout problems on {page.url} (see {folder}):\n" + "\n".join(problems)
    return files
