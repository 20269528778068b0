"""The caseload view's cases: in process (first page, filtered, searched) and over HTTP.

Targets (issue 16; issue 9 had 15x and 0.15x): within 10x of the page floor in
process; over HTTP at least 0.2x of the trivial page's throughput, with no errors.
"""

from bench.http import http_case
from bench.pages import page_case

page_case("caseload: first page", lambda s: "/caseload/", who="admin", target=10)
page_case(
    "caseload: filtered",
    lambda s: f"/caseload/?status=active&therapist={s.therapist.pk}&sort=-last_session",
    who="admin",
    target=10,
)
page_case("caseload: searched", lambda s: "/caseload/?q=fictional0012", who="admin", target=10)
page_case("caseload: first page, after a change", lambda s: "/caseload/", who="admin", changed=True)
http_case("caseload view", lambda s: "/caseload/", who="admin", target=0.2)
