"""The client's companion in a real browser, at phone width (360 px).

Ana invites Robin from Robin's page and shares a letter; Robin opens the link on a
phone, confirms their date of birth, chooses a password, signs in, records a practice
and reads (and answers) the shared letter. Each companion page is checked by axe,
must not scroll sideways at 360 px, and is photographed into artifacts/screens/.
"""

import datetime as dt
from importlib import import_module
from pathlib import Path

from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import Page, expect

from exercises.models import CheckIn, CompanionLetter, CompanionPractice, RatingScale
from tests.e2e.browser import LAYOUT_CHECK, SCREENS_DIR, axe_check, sign_in, signed_in
from tests.factories_exercises import ReparentingLetterFactory

PHONE = {"width": 360, "height": 740}
PASSWORD = "a long and unusual passphrase 42"


def phone_screen(page: Page, name: str) -> Path:
    """Photograph the page at 360 px; it must not scroll sideways nor overlap controls."""
    SCREENS_DIR.mkdir(parents=True, exist_ok=True)
    file = SCREENS_DIR / f"companion-{name}-360x740.png"
    page.screenshot(path=str(file), full_page=True)
    layout = page.evaluate(LAYOUT_CHECK)
    assert layout["scrollWidth"] <= layout["clientWidth"], f"{name} scrolls sideways at 360 px"
    assert not layout["overlaps"], f"{name}: {layout['overlaps']}"
    return file


def test_invitation_first_sign_in_practice_and_a_shared_letter_on_a_phone(
    page: Page, browser, app, ana, client_record
):
    ReparentingLetterFactory(
        client=client_record, title="To me at seven", letter="You were never too much."
    )
    client_record.clinic.crisis_line = "Demo Crisis Line: call 0800 000 000, any time"
    client_record.clinic.save()

    # Ana invites Robin from Robin's page and shares the letter.
    sign_in(page, ana)
    page.goto(f"/clients/{client_record.pk}/")
    page.get_by_role("link", name="Companion").click()
    page.get_by_label("The client's email address").fill("robin.phone@example.test")
    page.get_by_role("button", name="Invite to the companion").click()
    link = page.locator("#companion-link").get_attribute("href")
    page.get_by_role("button", name="Share To me at seven").click()
    expect(page.get_by_text("is now in the client's companion")).to_be_visible()

    # Robin, on a phone, opens the link.
    phone = browser.new_context(base_url=app.url, viewport=PHONE).new_page()
    phone.goto(link.replace("http://testserver", app.url))
    expect(phone.get_by_role("heading", name="Welcome to your companion")).to_be_visible()
    expect(phone.get_by_text("Demo Crisis Line")).to_be_visible()
    axe_check(phone)
    phone_screen(phone, "welcome")
    phone.get_by_label("Your date of birth").fill("1990-05-17")
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Choose a password").fill(PASSWORD)
    phone.get_by_label("The same password again").fill(PASSWORD)
    phone.get_by_role("button", name="Create my companion").click()

    # First sign-in lands on the companion.
    phone.get_by_label("Email").fill("robin.phone@example.test")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in", exact=True).click()
    expect(phone.get_by_role("heading", name="Hello Robin")).to_be_visible()
    expect(phone.get_by_text("not monitored in real time").first).to_be_visible()
    axe_check(phone)
    phone_screen(phone, "home")

    # A practice entry.
    phone.get_by_role("link", name="Record a practice").click()
    phone.get_by_label("What did you practise?").select_option("paced_breathing")
    phone.locator("#id_distress_before_7").check()
    phone.locator("#id_distress_after_3").check()
    phone.get_by_label("A note (optional)").fill("On the bus home.")
    axe_check(phone)
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Your practice is recorded")).to_be_visible()
    expect(phone.get_by_text("distress 7 → 3")).to_be_visible()
    phone_screen(phone, "practice")
    assert CompanionPractice.objects.get(client=client_record).distress_after == 3

    # Reading the shared letter, and answering it.
    phone.get_by_role("link", name="Your companion").click()
    phone.get_by_role("link", name="Letter: To me at seven").click()
    expect(phone.get_by_text("You were never too much.")).to_be_visible()
    axe_check(phone)
    phone.get_by_label("Write a reply").fill("Thank you. I read it twice.")
    phone.get_by_role("button", name="Save my reply").click()
    expect(phone.get_by_text("Your reply is saved")).to_be_visible()
    phone_screen(phone, "letter")
    assert CompanionLetter.objects.get(client=client_record).body.startswith("Thank you")

    # Use it now: light, and the crisis line is there.
    phone.get_by_role("link", name="Use it now").first.click()
    expect(phone.get_by_role("heading", name="Take a moment")).to_be_visible()
    expect(phone.get_by_text("Demo Crisis Line")).to_be_visible()
    axe_check(phone)
    phone_screen(phone, "now")

    # Ana sees both on Robin's chart, marked client-reported.
    page.reload()
    expect(page.get_by_text("client-reported", exact=True).first).to_be_visible()
    expect(page.get_by_text("On the bus home.")).to_be_visible()
    expect(page.get_by_text("Thank you. I read it twice.")).to_be_visible()
    phone.context.close()


def builtin_scale(key: str) -> RatingScale:
    """A built-in measure: the browser tests' database is flushed between tests, and with it
    what the migration seeded, so seed them again (the migration's own function)."""
    if not RatingScale.objects.filter(builtin=key).exists():
        import_module("exercises.migrations.0005_builtin_checkins").seed(django_apps, None)
    return RatingScale.objects.get(builtin=key)


def test_a_check_in_on_a_phone_shows_help_at_once_and_flags_the_clinician(
    page: Page, browser, app, ana, robin, client_record
):
    """Ana schedules a PHQ-9 (and cancels a GAD-7 she set by mistake); Robin answers the
    PHQ-9 on a phone with item 9 above zero and the closing question, sees the clinic's
    crisis information at once; Ana sees the flag on her home page and the answers."""
    client_record.clinic.crisis_line = "Demo Crisis Line: call 0800 000 000, any time"
    client_record.clinic.save()
    phq9 = builtin_scale("phq9")
    due = (dt.date.today() + dt.timedelta(days=2)).isoformat()

    sign_in(page, ana)
    page.goto(reverse("exercises:companion_manage", args=[client_record.pk]))
    for name in ("GAD-7 (Generalized Anxiety Disorder)", phq9.name):
        page.get_by_label("Measure").select_option(label=name)
        page.get_by_label("Due by").fill(due)
        page.get_by_role("button", name="Schedule the check-in").click()
        expect(page.get_by_text(f"{name} is waiting in the client's companion.")).to_be_visible()
    page.get_by_role("button", name="Cancel GAD-7").click()
    expect(page.get_by_text("the client no longer sees it")).to_be_visible()
    axe_check(page)

    phone = browser.new_context(base_url=app.url, viewport=PHONE).new_page()
    signed_in(phone, robin, app.url)
    phone.goto("/companion/")
    expect(phone.get_by_role("link", name=phq9.name)).to_be_visible()
    expect(phone.get_by_role("link", name="GAD-7 (Generalized Anxiety Disorder)")).to_have_count(0)
    phone.get_by_role("link", name=phq9.name).click()
    expect(phone.get_by_text("how difficult have these problems made it")).to_be_visible()
    axe_check(phone)
    phone_screen(phone, "check-in")
    for item in phq9.items.all():
        phone.locator(f"#id_item_{item.pk}_{1 if item.position == 9 else 0}").check()
    phone.get_by_label("Somewhat difficult").check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Please reach out for support now")).to_be_visible()
    expect(phone.get_by_text("Demo Crisis Line").first).to_be_visible()
    axe_check(phone)
    phone_screen(phone, "check-in-help")
    phone.context.close()
    check_in = CheckIn.objects.get(client=client_record, scale=phq9)
    assert check_in.risk_flagged and check_in.administration.difficulty == 1

    page.goto("/")
    flags = page.get_by_role("region", name="Needs attention: check-in answers")
    expect(flags.get_by_role("link", name=client_record.display_name)).to_be_visible()
    axe_check(page)
    flags.get_by_role("link", name=client_record.display_name).click()
    expect(page.get_by_role("cell", name="Somewhat difficult")).to_be_visible()
    expect(page.get_by_role("cell", name="Client-reported")).to_be_visible()
