"""Every page the URL walk reaches, as each role, passes the Nu Html Checker with no error.

The pages are fetched with Django's test client (plain GETs, as a browser's first load),
saved, and checked in one vnu run; warnings are printed, not failed.
"""

import logging
import re
from pathlib import Path

from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from tests.conftest import need
from tests.e2e.records import full_record
from tests.factories import ClientFactory
from tests.htmlcheck import java, validate, vnu_jar
from tests.pagewalk import all_pages

# therapist, colleague, clinic admin, other clinic, and Robin: the client's own companion
ROLES = ["ana", "ben", "dee", "olivia", "robin"]


def _file_name(role: str, url: str) -> str:
    return f"{role}{re.sub(r'[^A-Za-z0-9]+', '_', url)}.html"


def saved_pages(request, client_record, dee, out: Path) -> list[Path]:
    full_record(client_record, dee)  # something on every page of Ana's client
    pages = all_pages(client_record)
    files = []
    signed_out = [("anonymous", Client())]
    signed_in = []
    for role in ROLES:
        browser, person = Client(), request.getfixturevalue(role)
        browser.force_login(person)
        # A row on the account's sessions page (force_login records none).
        UserSession.objects.create(
            user=person, ip="127.0.0.1", session_key=browser.session.session_key, user_agent="t"
        )
        signed_in.append((role, browser))
    for role, browser in signed_out + signed_in:
        for _route, url in pages:
            response = browser.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if response.status_code in (301, 302) or not response.content.strip():
                continue
            path = out / _file_name(role, url)
            path.write_bytes(response.content)
            files.append(path)
    files += companion_pages(request, client_record, out)
    return files


def companion_pages(request, client_record, out: Path) -> list[Path]:
    """Robin's companion with one of each shared kind, and a fresh invitation's welcome page."""
    from clients.services.companion import companion_invite
    from exercises.models import SharedKind
    from exercises.services.companion import companion_practice_record, shared_item_share
    from tests import factories_exercises as fx

    robin, ana = request.getfixturevalue("robin"), client_record.primary_therapist
    shared = [
        shared_item_share(by=ana, client=client_record, kind=kind, source_id=source.pk)
        for kind, source in [
            (SharedKind.SAFE_SPACE, fx.first_plan(client_record)),
            (SharedKind.LETTER, fx.first_letter(client_record)),
            (SharedKind.MAP_PEOPLE, fx.first_map(client_record)),
        ]
    ]
    companion_practice_record(
        by=robin, client=client_record, technique="54321", distress_before=6, distress_after=2
    )
    urls = [reverse(name) for name in ("companion:home", "companion:account")]
    urls += [reverse(n) for n in ("companion:safe_space", "companion:safe_space_now")]
    urls += [reverse("companion:practice_log")]
    urls += [reverse("companion:shared_item", args=[item.pk]) for item in shared]
    urls += check_in_pages(client_record, robin)
    files = []
    browser = Client()
    browser.force_login(robin)
    for url in urls:
        files.append(out / _file_name("robin-own", url))
        files[-1].write_bytes(browser.get(url).content)
    other = ClientFactory(primary_therapist=ana, legal_first_name="Invited")
    _, link = companion_invite(by=ana, client=other, email="new@example.test", site_url="http://t/")
    welcome = link.removeprefix("http://t")
    files.append(out / "anonymous-companion-welcome.html")
    files[-1].write_bytes(Client().get(welcome).content)
    staff = Client()
    staff.force_login(ana)
    manage = reverse("exercises:companion_manage", args=[client_record.pk])
    files.append(out / "ana-companion-manage.html")
    files[-1].write_bytes(staff.get(manage).content)
    files.append(out / "ana-home-check-in-flag.html")  # the flagged PHQ-9 needs attention
    files[-1].write_bytes(staff.get(reverse("clients:home")).content)
    return files


def check_in_pages(client_record, robin) -> list[str]:
    """A pending check-in's form, and the thank-you page after a flagged PHQ-9 (crisis first)."""
    from exercises.models import RatingScale
    from exercises.services.checkins import check_in_complete, check_in_schedule
    from tests import factories_exercises as fx

    pending = fx.check_in_of(client_record)
    phq9 = RatingScale.objects.get(builtin="phq9")
    done = check_in_schedule(
        by=client_record.primary_therapist,
        client=client_record,
        scale=phq9,
        due_date=pending.due_date,
    )
    answers = {str(item.pk): 1 for item in phq9.items.all()}
    check_in_complete(by=robin, check_in=done, responses=answers)
    return [
        reverse("companion:check_in", args=[pending.pk]),
        reverse("companion:check_in_done", args=[done.pk]),
    ]


def test_every_page_as_every_role_passes_the_nu_html_checker(
    request, client_record, dee, tmp_path, caplog
):
    need(java() is not None, "Java (Debian: default-jre-headless) runs the Nu Html Checker")
    need(vnu_jar() is not None, "vnu.jar: npm ci --prefix .ci/vnu (as .ci/run does)")
    caplog.set_level(logging.ERROR, logger="django.request")  # the walk meets many 403/404/405
    files = saved_pages(request, client_record, dee, tmp_path)
    assert len(files) > 100, f"only {len(files)} pages saved: is the walk broken?"
    messages = validate(files)
    warnings = [m for m in messages if m.kind == "warning"]
    errors = [m for m in messages if m.kind == "error" or m.kind == "non-document-error"]
    for w in warnings:
        print("vnu warning:", w)
    pages_with_errors = len({e.file for e in errors})
    listing = "\n".join(str(e) for e in errors)
    assert not errors, (
        f"{len(errors)} vnu errors on {pages_with_errors} of {len(files)} pages:\n{listing}"
    )


def test_the_account_sessions_page_has_a_header_over_every_column(client, ana):
    # vnu only warns of a row wider than the head; screen readers then announce no header.
    client.force_login(ana)
    UserSession.objects.create(
        user=ana, ip="127.0.0.1", session_key=client.session.session_key, user_agent="t"
    )
    page = client.get(reverse("usersessions_list")).content.decode()
    head, body = page.split("</thead>")
    rows = body.split("</tbody>")[0].split("</tr>")[:-1]
    assert rows, "the current session is listed"
    headers = len(re.findall(r"<th[\s>]", head))
    assert all(len(re.findall(r"<td[\s>]", row)) == headers for row in rows)
