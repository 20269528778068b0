"""Check-ins: the PHQ-9 and GAD-7 built in, scheduled by the clinician, completed by the
client on the companion, scored by the scale code; PHQ-9 item 9 above zero is flagged."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from attachment_app.models import AuditEvent
from clients.access import companion_client_id
from clients.models import Client as ClientRecord
from exercises.models import CheckIn, RatingScale, ScaleAdministration
from exercises.scoring import severity_band, total_score
from exercises.selectors import clinic_scales, scale_results
from exercises.services.checkins import (
    CheckInClosed,
    check_in_acknowledge,
    check_in_cancel,
    check_in_complete,
    check_in_schedule,
)

pytestmark = pytest.mark.django_db

ATTRIBUTION_START = "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke"


def builtin(key: str) -> RatingScale:
    return RatingScale.objects.get(builtin=key)


def answers(scale: RatingScale, values: list[int]) -> dict[str, int]:
    return {str(item.pk): v for item, v in zip(scale.items.all(), values, strict=True)}


def test_the_phq9_and_gad7_ship_verbatim_with_their_attribution(client_record):
    phq9, gad7 = builtin("phq9"), builtin("gad7")
    assert [i.position for i in phq9.items.all()] == list(range(1, 10))
    assert phq9.items.get(position=9).text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert gad7.items.count() == 7
    assert gad7.items.get(position=1).text == "Feeling nervous, anxious or on edge"
    assert phq9.option_labels == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert phq9.attribution.startswith(ATTRIBUTION_START)
    assert {phq9, gad7} <= set(clinic_scales(client_record.clinic_id))


@pytest.mark.parametrize(
    ("key", "values", "total", "band"),
    [
        ("phq9", [0] * 9, 0, "Minimal"),
        ("phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "Mild"),
        ("phq9", [2, 2, 2, 2, 1, 1, 0, 0, 0], 10, "Moderate"),
        ("phq9", [3, 3, 3, 2, 2, 2, 2, 2, 0], 19, "Moderately severe"),
        ("phq9", [3] * 9, 27, "Severe"),
        ("gad7", [1, 1, 1, 1, 0, 0, 0], 4, "Minimal"),
        ("gad7", [2, 2, 2, 2, 2, 2, 2], 14, "Moderate"),
        ("gad7", [3, 3, 3, 3, 3, 0, 0], 15, "Severe"),
    ],
)
def test_totals_and_severity_bands(key, values, total, band):
    scale = builtin(key)
    items = list(scale.items.all())
    assert total_score(items, answers(scale, values)) == total
    assert severity_band(key, total) == band


def test_no_total_when_an_item_is_unanswered():
    scale = builtin("gad7")
    responses = answers(scale, [1] * 7)
    responses.pop(next(iter(responses)))
    assert total_score(list(scale.items.all()), responses) is None
    assert severity_band("gad7", None) == ""


def test_a_completed_check_in_is_a_client_reported_administration_on_the_results(
    ana, robin, client_record
):
    scale = builtin("gad7")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date(2027, 1, 5)
    )
    assert list(CheckIn.objects.pending().filter(client=client_record)) == [check_in]
    done = check_in_complete(by=robin, check_in=check_in, responses=answers(scale, [2] * 7))
    administration = ScaleAdministration.objects.get(pk=done.administration_id)
    assert administration.client_reported and administration.client == client_record
    assert not done.risk_flagged
    _items, scored, _subscales = scale_results(client_record, scale)
    assert [(s.total, s.band) for s in scored] == [(14, "Moderate")]
    with pytest.raises(CheckInClosed):
        check_in_complete(by=robin, check_in=check_in, responses=answers(scale, [0] * 7))
    assert ScaleAdministration.objects.filter(client=client_record).count() == 1


@pytest.mark.parametrize(("item9", "flagged"), [(0, False), (1, True), (3, True)])
def test_phq9_item_9_above_zero_raises_a_flag(ana, robin, client_record, item9, flagged):
    scale = builtin("phq9")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date.today()
    )
    done = check_in_complete(
        by=robin, check_in=check_in, responses=answers(scale, [0] * 8 + [item9])
    )
    assert done.risk_flagged is flagged
    assert CheckIn.objects.needing_attention().filter(pk=check_in.pk).exists() is flagged


def test_a_flag_is_acknowledged_once_and_audited(ana, robin, client_record):
    scale = builtin("phq9")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date.today()
    )
    check_in_complete(by=robin, check_in=check_in, responses=answers(scale, [0] * 8 + [2]))
    check_in_acknowledge(by=ana, check_in=check_in)
    check_in_acknowledge(by=ana, check_in=check_in)
    check_in.refresh_from_db()
    assert check_in.acknowledged_by == ana and check_in.acknowledged_at is not None
    assert not CheckIn.objects.needing_attention().exists()
    events = AuditEvent.objects.filter(object_id=str(check_in.pk), action="change")
    assert [e.actor_label for e in events] == ["ana@test.example"]


@pytest.fixture
def as_ana(ana):
    browser = Client()
    browser.force_login(ana)
    return browser


def test_the_clinician_schedules_and_the_client_completes_on_the_phone(
    as_ana, client, robin, client_record
):
    client_record.clinic.crisis_line = "Call the clinic's crisis line: 0800 123 456"
    client_record.clinic.save()
    scale = builtin("phq9")
    manage = as_ana.get(reverse("exercises:companion_manage", args=[client_record.pk]))
    assert "Schedule the check-in" in manage.content.decode()
    response = as_ana.post(
        reverse("exercises:check_in_schedule", args=[client_record.pk]),
        {"scale": scale.pk, "due_date": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 302
    check_in = CheckIn.objects.get(client=client_record)

    client.force_login(robin)
    home = client.get(reverse("companion:home")).content.decode()
    assert reverse("companion:check_in", args=[check_in.pk]) in home
    form_page = client.get(reverse("companion:check_in", args=[check_in.pk])).content.decode()
    assert "Nearly every day" in form_page and ATTRIBUTION_START in form_page
    assert "<script" not in form_page.split("</header>")[-1]
    data = {f"item_{k}": v for k, v in answers(scale, [1] * 8 + [2]).items()}
    done = client.post(reverse("companion:check_in", args=[check_in.pk]), data, follow=True)
    page = done.content.decode()
    assert "Please reach out for support now" in page
    assert "0800 123 456" in page

    home = as_ana.get(reverse("clients:home")).content.decode()
    assert "Needs attention" in home and client_record.display_name in home
    results = as_ana.get(reverse("exercises:scale_results", args=[client_record.pk, scale.pk]))
    text = results.content.decode()
    assert "Client-reported" in text and "<td>10</td>" in text and "Moderate" in text
    assert "totals over time" in text and "not a validated instrument" not in text
    as_ana.post(reverse("exercises:check_in_acknowledge", args=[client_record.pk, check_in.pk]))
    assert "Needs attention" not in as_ana.get(reverse("clients:home")).content.decode()


def test_the_crisis_fallback_shows_without_a_clinic_crisis_line(client, ana, robin, client_record):
    scale = builtin("phq9")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date.today()
    )
    client.force_login(robin)
    data = {f"item_{k}": v for k, v in answers(scale, [0] * 8 + [1]).items()}
    page = client.post(reverse("companion:check_in", args=[check_in.pk]), data, follow=True)
    assert "Call your local emergency number." in page.content.decode()


def test_an_unanswered_item_is_named_beside_it_and_nothing_is_saved(
    client, ana, robin, client_record
):
    scale = builtin("gad7")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date.today()
    )
    client.force_login(robin)
    data = {f"item_{k}": v for k, v in list(answers(scale, [1] * 7).items())[:6]}
    data["item_bogus"] = "x"
    response = client.post(reverse("companion:check_in", args=[check_in.pk]), data)
    assert response.status_code == 400
    assert "Please choose one answer." in response.content.decode()
    bad = {f"item_{k}": "9" for k in answers(scale, [1] * 7)}
    assert client.post(reverse("companion:check_in", args=[check_in.pk]), bad).status_code == 400
    assert not ScaleAdministration.objects.filter(client=client_record).exists()


def test_a_bad_schedule_is_answered_beside_the_field(as_ana, robin, client_record):
    url = reverse("exercises:check_in_schedule", args=[client_record.pk])
    past = as_ana.post(url, {"scale": builtin("gad7").pk, "due_date": "2001-01-01"})
    assert past.status_code == 400 and "cannot be in the past" in past.content.decode()
    junk = as_ana.post(url, {"scale": "999999", "due_date": "not a date"})
    assert junk.status_code == 400
    assert not CheckIn.objects.exists()


def test_another_clients_check_in_answers_404(client, ana, robin, sam, client_record):
    scale = builtin("gad7")
    other = ClientRecord.objects.get(pk=companion_client_id(sam))
    theirs = check_in_schedule(by=ana, client=other, scale=scale, due_date=dt.date.today())
    client.force_login(robin)
    assert client.get(reverse("companion:check_in", args=[theirs.pk])).status_code == 404
    data = {f"item_{k}": 0 for k in answers(scale, [0] * 7)}
    assert client.post(reverse("companion:check_in", args=[theirs.pk]), data).status_code == 404
    assert client.get(reverse("companion:check_in_done", args=[theirs.pk])).status_code == 404
    assert CheckIn.objects.get(pk=theirs.pk).completed_at is None


PHQ9_TENTH = (
    "If you checked off any problems, how difficult have these problems made it for you to "
    "do your work, take care of things at home, or get along with other people?"
)


def test_the_phq9_closing_question_is_asked_stored_shown_and_never_scored(
    as_ana, ana, client, robin, client_record
):
    scale = builtin("phq9")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date.today()
    )
    client.force_login(robin)
    url = reverse("companion:check_in", args=[check_in.pk])
    form_page = client.get(url).content.decode()
    assert PHQ9_TENTH in form_page
    assert form_page.index(PHQ9_TENTH) > form_page.index("Thoughts that you would be better off")
    for label in ("Not difficult at all", "Somewhat difficult", "Very difficult"):
        assert label in form_page
    assert "Extremely difficult" in form_page
    data = {f"item_{k}": v for k, v in answers(scale, [1] * 9).items()}
    data["difficulty"] = "2"
    assert client.post(url, data).status_code == 302
    administration = CheckIn.objects.get(pk=check_in.pk).administration
    assert administration.difficulty == 2
    assert len(administration.responses) == 9
    items, scored, _ = scale_results(client_record, scale)
    assert scored[-1].total == 9  # the closing answer (2) is not added
    results = as_ana.get(reverse("exercises:scale_results", args=[client_record.pk, scale.pk]))
    text = results.content.decode()
    assert "Difficulty in daily life (not scored)" in text and "<td>Very difficult</td>" in text
    manage = as_ana.get(reverse("exercises:companion_manage", args=[client_record.pk]))
    assert "difficulty in daily life: very difficult (not scored)" in manage.content.decode()


def test_the_closing_question_is_optional_and_only_on_the_phq9(ana, robin, client, client_record):
    phq9, gad7 = builtin("phq9"), builtin("gad7")
    check_in = check_in_schedule(by=ana, client=client_record, scale=phq9, due_date=dt.date.today())
    client.force_login(robin)
    data = {f"item_{k}": 0 for k in answers(phq9, [0] * 9)}
    assert client.post(reverse("companion:check_in", args=[check_in.pk]), data).status_code == 302
    assert CheckIn.objects.get(pk=check_in.pk).administration.difficulty is None
    other = check_in_schedule(by=ana, client=client_record, scale=gad7, due_date=dt.date.today())
    assert (
        PHQ9_TENTH
        not in client.get(reverse("companion:check_in", args=[other.pk])).content.decode()
    )
    done = check_in_complete(
        by=robin, check_in=other, responses=answers(gad7, [1] * 7), difficulty=3
    )
    assert done.administration.difficulty is None  # only the PHQ-9 has the question
    bad = check_in_schedule(by=ana, client=client_record, scale=phq9, due_date=dt.date.today())
    data["difficulty"] = "7"
    assert client.post(reverse("companion:check_in", args=[bad.pk]), data).status_code == 400


def test_the_clinician_cancels_a_waiting_check_in_and_the_client_no_longer_sees_it(
    as_ana, ana, client, robin, client_record
):
    scale = builtin("gad7")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date.today()
    )
    client.force_login(robin)
    assert (
        reverse("companion:check_in", args=[check_in.pk])
        in client.get(reverse("companion:home")).content.decode()
    )
    cancel = reverse("exercises:check_in_cancel", args=[client_record.pk, check_in.pk])
    manage_url = reverse("exercises:companion_manage", args=[client_record.pk])
    assert cancel in as_ana.get(manage_url).content.decode()
    assert as_ana.post(cancel).status_code == 302
    check_in.refresh_from_db()
    assert check_in.cancelled_at is not None and check_in.cancelled_by == ana
    events = AuditEvent.objects.filter(object_id=str(check_in.pk), action="change")
    assert [e.summary for e in events] == [f"Check-in cancelled: {scale.name}"]
    assert "cancelled" in as_ana.get(manage_url).content.decode()
    assert (
        reverse("companion:check_in", args=[check_in.pk])
        not in client.get(reverse("companion:home")).content.decode()
    )
    data = {f"item_{k}": 0 for k in answers(scale, [0] * 7)}
    assert client.get(reverse("companion:check_in", args=[check_in.pk])).status_code == 404
    assert client.post(reverse("companion:check_in", args=[check_in.pk]), data).status_code == 404
    assert client.get(reverse("companion:check_in_done", args=[check_in.pk])).status_code == 404
    with pytest.raises(CheckInClosed):
        check_in_complete(by=robin, check_in=check_in, responses=answers(scale, [0] * 7))
    assert as_ana.post(cancel).status_code == 302  # twice: nothing more happens
    assert AuditEvent.objects.filter(object_id=str(check_in.pk), action="change").count() == 1


def test_an_answered_check_in_cannot_be_cancelled(ana, robin, client_record):
    scale = builtin("gad7")
    check_in = check_in_schedule(
        by=ana, client=client_record, scale=scale, due_date=dt.date.today()
    )
    check_in_complete(by=robin, check_in=check_in, responses=answers(scale, [0] * 7))
    assert check_in_cancel(check_in=check_in, by=ana) is False
    assert CheckIn.objects.get(pk=check_in.pk).cancelled_at is None
