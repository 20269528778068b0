"""Timing of the session and plan pages for a client with many sessions. Not part of CI.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python -m pytest -q -s \
      bench/bench_session_pages.py

Prints the median and 90th percentile of 30 requests per page.
"""

import datetime as dt
import statistics
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import TherapySession
from tests.factories_sessions import plan_with_revision

SESSIONS = 300
RUNS = 30


@pytest.mark.django_db
def test_bench_session_pages(client, client_record, ana):
    TherapySession.objects.bulk_create(
        [
            TherapySession(
                client=client_record,
                therapist=ana,
                date=timezone.localdate() - dt.timedelta(days=n),
                distress_before=n % 10,
                distress_after=(n + 3) % 10,
                status="signed" if n else "draft",
            )
            for n in range(SESSIONS)
        ]
    )
    plan_with_revision(client_record)
    client.force_login(ana)
    pages = {
        name: reverse(f"clients:{name}", args=[client_record.pk])
        for name in ["session_list", "timeline", "distress", "plan_detail", "client_detail"]
    }
    pages["unsigned_notes"] = reverse("clients:unsigned_notes")
    print(f"\n{SESSIONS} sessions, {RUNS} requests each (ms): median / p90")
    for name, url in pages.items():
        client.get(url)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"  {name:16} {statistics.median(times):7.1f} / {p90:7.1f}")
