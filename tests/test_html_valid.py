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
from tests.htmlcheck import java, validate, vnu_jar
from tests.pagewalk import all_pages

ROLES = ["ana", "ben", "dee", "olivia"]  # therapist, colleague, clinic admin, other clinic


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
    return files


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
