"""What the clinician shares with the client's companion, and what the client does there.

Nothing is shared by default; a shared item is a copy of what was released, never the
live record; sharing, unsharing and the client's own actions are audited.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.access import companion_client_id
from clients.models import Client as ClientRecord
from exercises.models import (
    ClosenessRating,
    CompanionLetter,
    CompanionPractice,
    SharedItem,
    SharedKind,
)
from exercises.services.companion import (
    NothingToShare,
    companion_practice_record,
    shared_item_share,
)
from tests.factories import ClientFactory
from tests.factories_exercises import (
    FigureFactory,
    ReparentingLetterFactory,
    SafeSpacePlanFactory,
    first_map,
)
from tests.factories_sessions import TherapySessionFactory


def share(as_ana, client_record, kind, source):
    return as_ana.post(
        reverse("exercises:companion_share", args=[client_record.pk]),
        {"kind": kind, "source_id": str(source.pk)},
    )


@pytest.fixture
def as_ana(ana):
    """Ana in a browser of her own (the `client` fixture is the client's browser here)."""
    browser = Client()
    browser.force_login(ana)
    return browser


@pytest.fixture
def letter(client_record):
    return ReparentingLetterFactory(
        client=client_record,
        title="To little me",
        letter="You were never too much.",
        experience="EXPERIENCE-CANARY",
        therapist_reflection="REFLECTION-CANARY",
    )


@pytest.mark.django_db
def test_nothing_is_shared_by_default(client, robin, letter, client_record):
    SafeSpacePlanFactory(client=client_record)
    client.force_login(robin)
    home = client.get(reverse("companion:home")).content.decode()
    assert "Nothing yet" in home
    assert "To little me" not in home
    assert (
        "Your clinician has not shared"
        in client.get(reverse("companion:safe_space")).content.decode()
    )


@pytest.mark.django_db
def test_a_shared_letter_is_a_copy_of_what_was_released(
    as_ana, client, robin, letter, client_record
):
    assert share(as_ana, client_record, "letter", letter).status_code == 302
    item = SharedItem.objects.get(client=client_record)
    assert AuditEvent.objects.filter(
        actor__email="ana@test.example", object_id=str(item.pk), action="create"
    ).exists()
    letter.letter = "A later draft the client has not been given."
    letter.save()

    client.force_login(robin)
    home = client.get(reverse("companion:home")).content.decode()
    assert reverse("companion:shared_item", args=[item.pk]) in home
    page = client.get(reverse("companion:shared_item", args=[item.pk])).content.decode()
    assert "You were never too much." in page
    assert "later draft" not in page
    assert "EXPERIENCE-CANARY" not in page and "REFLECTION-CANARY" not in page

    # Sharing again releases the current version; the old copy is no longer reachable.
    share(as_ana, client_record, "letter", letter)
    assert client.get(reverse("companion:shared_item", args=[item.pk])).status_code == 404
    newer = SharedItem.objects.current().get(client=client_record)
    assert (
        "later draft"
        in client.get(reverse("companion:shared_item", args=[newer.pk])).content.decode()
    )


@pytest.mark.django_db
def test_stopping_sharing_is_audited_and_the_client_loses_the_copy(
    as_ana, client, robin, letter, client_record
):
    share(as_ana, client_record, "letter", letter)
    item = SharedItem.objects.get(client=client_record)
    as_ana.post(reverse("exercises:companion_unshare", args=[client_record.pk, item.pk]))
    assert AuditEvent.objects.filter(object_id=str(item.pk), action="change").exists()
    client.force_login(robin)
    assert client.get(reverse("companion:shared_item", args=[item.pk])).status_code == 404


@pytest.mark.django_db
def test_the_map_shares_people_only_never_ties_or_notes(as_ana, client, robin, client_record):
    rmap = first_map(client_record)
    FigureFactory(map=rmap, label="Grandmother June", note="FIGURE-NOTE-CANARY")
    share(as_ana, client_record, "map_people", rmap)
    item = SharedItem.objects.get(client=client_record, kind=SharedKind.MAP_PEOPLE)
    client.force_login(robin)
    page = client.get(reverse("companion:shared_item", args=[item.pk])).content.decode()
    assert "Grandmother June" in page
    assert "FIGURE-NOTE-CANARY" not in page


@pytest.mark.django_db
def test_the_safe_space_card_and_the_use_it_now_page(as_ana, client, robin, client_record):
    plan = SafeSpacePlanFactory(client=client_record, name="The beach", cue_word="tide")
    share(as_ana, client_record, "safe_space", plan)
    client.force_login(robin)
    for name in ("companion:safe_space", "companion:safe_space_now"):
        page = client.get(reverse(name)).content.decode()
        assert "The beach" in page and "tide" in page
    now = client.get(reverse("companion:safe_space_now")).content.decode()
    assert "bootstrap" not in now and "<script" not in now.split("</head>")[1].split("<dialog")[0]


@pytest.mark.django_db
def test_only_the_clients_own_records_can_be_shared(ana, ben, client_record):
    bens_client = ClientFactory(primary_therapist=ben)
    bens_letter = ReparentingLetterFactory(client=bens_client)
    with pytest.raises(NothingToShare):
        shared_item_share(by=ana, client=client_record, kind="letter", source_id=bens_letter.pk)
    with pytest.raises(NothingToShare):
        shared_item_share(by=ana, client=client_record, kind="session", source_id=bens_letter.pk)


@pytest.mark.django_db
def test_session_notes_and_the_style_hypothesis_never_reach_the_client(
    as_ana, client, robin, letter, client_record
):
    client_record.attachment_hypothesis = "disorganized"
    client_record.save()
    TherapySessionFactory(client=client_record, note_data="SESSION-NOTE-CANARY")
    share(as_ana, client_record, "letter", letter)
    client.force_login(robin)
    item = SharedItem.objects.get(client=client_record)
    for url in (
        reverse("companion:home"),
        reverse("companion:safe_space"),
        reverse("companion:practice_log"),
        reverse("companion:shared_item", args=[item.pk]),
    ):
        page = client.get(url).content.decode()
        assert "SESSION-NOTE-CANARY" not in page
        assert "isorganized" not in page


@pytest.mark.django_db
def test_a_practice_entry_reaches_the_clinician_marked_client_reported(
    as_ana, client, robin, client_record
):
    client.force_login(robin)
    bad = client.post(
        reverse("companion:practice_log"),
        {
            "technique": "paced_breathing",
            "distress_before": "11",
            "distress_after": "3",
            "note": "kept",
        },
    )
    assert bad.status_code == 400 and "kept" in bad.content.decode()
    assert not CompanionPractice.objects.exists()
    ok = client.post(
        reverse("companion:practice_log"),
        {
            "technique": "paced_breathing",
            "distress_before": "7",
            "distress_after": "3",
            "note": "on the bus",
        },
    )
    assert ok.status_code == 302
    entry = CompanionPractice.objects.get(client=client_record)
    assert AuditEvent.objects.filter(actor=robin, object_id=str(entry.pk), action="create").exists()
    manage = as_ana.get(reverse("exercises:companion_manage", args=[client_record.pk]))
    page = manage.content.decode()
    assert "client-reported" in page and "Paced breathing" in page and "on the bus" in page


@pytest.mark.django_db
def test_practice_entries_show_on_the_distress_chart_beside_the_sessions_marked_client_reported(
    as_ana, ana, robin, sam, client_record
):
    url = reverse("clients:distress", args=[client_record.pk])
    TherapySessionFactory(
        client=client_record,
        date=timezone.localdate() - dt.timedelta(days=8),
        distress_before=8,
        distress_after=3,
    )
    assert "<polygon" not in as_ana.get(url).content.decode()  # no practice yet: no triangles
    companion_practice_record(
        by=robin,
        client=client_record,
        technique="paced_breathing",
        distress_before=7,
        distress_after=2,
    )
    other = ClientRecord.objects.get(pk=companion_client_id(sam))
    companion_practice_record(
        by=sam, client=other, technique="54321", distress_before=9, distress_after=9
    )
    page = as_ana.get(url).content.decode()
    chart, table = page.split("<table", 1)
    assert chart.count("<polygon") == 2 + 2  # before and after, and the legend's two
    assert "<circle" in chart and "<rect" in chart  # the session keeps its own markers
    assert "client-reported" in chart.split("<desc", 1)[1].split("</desc>")[0]
    rows = table.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2  # the other client's practice is not here
    assert "In session" in rows[0] and "-5 (lower after)" in rows[0]
    assert 'class="badge text-bg-info">client-reported</span>' in rows[1]
    assert "Paced breathing" in rows[1] and "-5 (lower after)" in rows[1]


@pytest.mark.django_db
def test_the_client_replies_to_a_shared_letter_and_the_clinician_reads_it(
    as_ana, client, robin, letter, client_record
):
    share(as_ana, client_record, "letter", letter)
    item = SharedItem.objects.get(client=client_record)
    client.force_login(robin)
    url = reverse("companion:shared_item", args=[item.pk])
    assert client.post(url, {"body": ""}).status_code == 400  # an empty reply is refused
    assert client.post(url, {"body": "Thank you. I read it twice."}).status_code == 302
    reply = CompanionLetter.objects.get(client=client_record)
    assert reply.in_reply_to == item
    assert AuditEvent.objects.filter(
        actor=robin,
        action="create",
        object_id=str(reply.pk),
        summary="Companion: the client wrote a reply to a letter",
    ).exists()
    assert "I read it twice" in client.get(url).content.decode()
    page = as_ana.get(
        reverse("exercises:companion_manage", args=[client_record.pk])
    ).content.decode()
    assert "I read it twice" in page


@pytest.mark.django_db
def test_the_client_writes_a_letter_of_their_own_and_the_clinician_reads_it(
    as_ana, client, robin, sam, client_record
):
    client.force_login(robin)
    url = reverse("companion:letters")
    assert url in client.get(reverse("companion:home")).content.decode()
    empty = client.post(url, {"body": "  "})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert client.post(url, {"body": "Dear little me, you were brave."}).status_code == 302
    letter = CompanionLetter.objects.get(client=client_record)
    assert letter.in_reply_to is None
    assert AuditEvent.objects.filter(
        actor=robin,
        action="create",
        object_id=str(letter.pk),
        summary="Companion: the client wrote a letter draft of their own",
    ).exists()
    assert "you were brave" in client.get(url).content.decode()
    client.force_login(sam)
    assert "you were brave" not in client.get(url).content.decode()
    page = as_ana.get(
        reverse("exercises:companion_manage", args=[client_record.pk])
    ).content.decode()
    assert "you were brave" in page and "a letter draft of their own" in page


@pytest.mark.django_db
def test_the_owner_reaches_the_shared_item_the_other_client_cannot(
    client, robin, sam, letter, client_record, ana
):
    item = shared_item_share(by=ana, client=client_record, kind="letter", source_id=letter.pk)
    url = reverse("companion:shared_item", args=[item.pk])
    client.force_login(robin)
    assert client.get(url).status_code == 200
    client.force_login(sam)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_shared_copy_is_encrypted_at_rest(ana, letter, client_record):
    from django.db import connection

    item = shared_item_share(by=ana, client=client_record, kind="letter", source_id=letter.pk)
    with connection.cursor() as cursor:
        pk = SharedItem._meta.pk.get_db_prep_value(item.pk, connection)  # SQLite: hex text
        cursor.execute("SELECT content FROM exercises_shareditem WHERE id = %s", [pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("fernet:") and "never too much" not in stored
    assert SharedItem.objects.get(pk=item.pk).content["letter"] == "You were never too much."


@pytest.mark.django_db
def test_the_client_rates_closeness_per_shared_person_and_the_clinician_sees_it_over_time(
    as_ana, client, robin, client_record
):
    rmap = first_map(client_record)
    june = FigureFactory(map=rmap, label="Grandmother June")
    FigureFactory(map=rmap, label="Sam the friend")
    share(as_ana, client_record, "map_people", rmap)
    item = SharedItem.objects.get(client=client_record, kind=SharedKind.MAP_PEOPLE)
    people = item.content["people"]
    i = next(n for n, p in enumerate(people) if p["key"] == str(june.pk))
    client.force_login(robin)
    url = reverse("companion:shared_item", args=[item.pk])
    half = client.post(url, {f"close_{i}": "8"})
    assert half.status_code == 400 and "Rate both, or neither." in half.content.decode()
    assert client.post(url, {f"close_{i}": "8", f"safe_{i}": "9"}).status_code == 302
    assert client.post(url, {f"close_{i}": "6", f"safe_{i}": "7"}).status_code == 302
    ratings = ClosenessRating.objects.filter(client=client_record, person_key=str(june.pk))
    assert sorted(r.closeness for r in ratings) == [6, 8]
    assert AuditEvent.objects.filter(actor=robin, summary__contains="closeness").count() == 2
    page = as_ana.get(reverse("exercises:companion_manage", args=[client_record.pk]))
    text = page.content.decode()
    assert "Grandmother June" in text and "close 8" in text and "close 6" in text
