"""Around the exercises: the client page panel, session list, timeline, guides, demo data."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from clients.timeline import timeline_sources
from exercises.demo import seed_exercises_demo
from exercises.guides import GUIDES
from exercises.models import Exploration, RelationshipMap, ReparentingLetter, SafeSpacePlan
from exercises.selectors import client_exercises
from tests.factories_exercises import (
    ExplorationFactory,
    FigureFactory,
    RelationshipMapFactory,
    ReparentingLetterFactory,
    SafeSpacePlanFactory,
    TherapySessionFactory,
    snapshot_of,
)

pytestmark = pytest.mark.django_db


def make_exercises(client, n: int) -> None:
    for i in range(n):
        ExplorationFactory(client=client, date=dt.date(2026, 1, 1 + i))
        rmap = RelationshipMapFactory(client=client)
        FigureFactory(map=rmap)
        ReparentingLetterFactory(client=client)
        SafeSpacePlanFactory(client=client)


def test_the_client_page_panel_reads_in_the_same_queries_for_few_and_many(
    client_record, django_assert_num_queries
):
    make_exercises(client_record, 1)
    with django_assert_num_queries(5):
        client_exercises(client_record)
    make_exercises(client_record, 6)
    with django_assert_num_queries(5):
        ex = client_exercises(client_record)
    assert len(ex.maps) == 5 and len(ex.letters) == 5


def test_the_client_page_lists_the_exercises(as_ana, client_record):
    ExplorationFactory(client=client_record, hypothesis="avoidant")
    page = as_ana.get(reverse("clients:client_detail", args=[client_record.pk])).content.decode()
    assert "exercises-heading" in page and "Avoidant" in page
    assert reverse("exercises:map_new", args=[client_record.pk]) in page


def test_the_session_tag_lists_only_exercises_done_in_that_session(ana, client_record):
    session = TherapySessionFactory(client=client_record)
    ExplorationFactory(client=client_record, session=session)
    SafeSpacePlanFactory(client=client_record, session=session, name="Linked place")
    SafeSpacePlanFactory(client=client_record, name="Unlinked place")
    request = RequestFactory().get("/")
    request.user = ana
    html = Template("{% load exercises_tags %}{% session_exercises session %}").render(
        Context({"session": session, "request": request})
    )
    assert "Attachment style exploration" in html and "Linked place" in html
    assert "Unlinked place" not in html


def test_the_session_tag_shows_nothing_to_someone_without_clinical_access(dee, client_record):
    session = TherapySessionFactory(client=client_record)
    SafeSpacePlanFactory(client=client_record, session=session, name="Linked place")
    request = RequestFactory().get("/")
    request.user = dee
    html = Template("{% load exercises_tags %}{% session_exercises session %}").render(
        Context({"session": session, "request": request})
    )
    assert "Linked place" not in html


def test_each_exercise_feeds_the_timeline_in_constant_queries(
    client_record, django_assert_max_num_queries
):
    make_exercises(client_record, 3)
    snapshot_of(client_record)
    plan = SafeSpacePlan.objects.filter(client=client_record).first()
    plan.practices.create(distress_before=5, distress_after=3)
    sources = {s.kind: s for s in timeline_sources()}
    assert {"explorations", "maps", "letters", "safe_space"} <= set(sources)
    counts = {}
    for kind in ("explorations", "maps", "letters", "safe_space"):
        with django_assert_max_num_queries(2):
            counts[kind] = list(sources[kind].entries(client_record))
    assert len(counts["maps"]) == 4  # three maps and a snapshot
    assert len(counts["safe_space"]) == 4


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.slug)
def test_every_guide_is_reachable(as_ana, guide):
    response = as_ana.get(reverse(guide.url_name))
    page = response.content.decode()
    assert response.status_code == 200
    assert guide.title in page and "Trauma-informed cautions" in page


def test_each_exercise_page_links_its_guide(as_ana, client_record):
    rmap = RelationshipMapFactory(client=client_record)
    page = as_ana.get(rmap.get_absolute_url()).content.decode()
    assert reverse("exercises:guide_relationship_map") in page
    page = as_ana.get(reverse("exercises:safe_space_new", args=[client_record.pk])).content.decode()
    assert reverse("exercises:guide_safe_space_visualization") in page


def test_the_demo_exercises_are_fictional_and_seeded_once():
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "seed_demo", "--password", "a-long-demo-password", "--clients", "8", stdout=StringIO()
    )
    # seed_demo seeded them already (through its demo_seeded signal); again adds nothing.
    assert seed_exercises_demo() == 0
    assert RelationshipMap.objects.count() == 2
    assert Exploration.objects.count() == 4
    assert all("(demo)" in (letter.title or "") for letter in ReparentingLetter.objects.all())


def count_queries(as_ana, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert as_ana.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_take_the_same_queries_for_few_and_many(as_ana, client_record):
    rmap = RelationshipMapFactory(client=client_record)
    me = FigureFactory(map=rmap, role="client")
    plan = SafeSpacePlanFactory(client=client_record)
    session = TherapySessionFactory(client=client_record)
    urls = [
        reverse("exercises:exploration_list", args=[client_record.pk]),
        reverse("exercises:client_home", args=[client_record.pk]),
        rmap.get_absolute_url(),
        plan.get_absolute_url(),
    ]

    def grow(n: int, offset: int) -> None:
        for i in range(n):
            ExplorationFactory(
                client=client_record,
                session=session,
                date=dt.date(2025, 1, 1) + dt.timedelta(days=offset + i),
                anxiety_rating=3,
                avoidance_rating=4,
            )
            friend = FigureFactory(map=rmap)
            rmap.ties.create(source=me, target=friend)
            plan.practices.create(distress_before=6, distress_after=3)

    grow(1, 0)
    few = [count_queries(as_ana, u) for u in urls]
    grow(12, 10)
    many = [count_queries(as_ana, u) for u in urls]
    assert few == many
