"""Attachment style explorations, the prompt bank and clinic rating scales."""

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import AttachmentStyle
from exercises.models import Exploration, Prompt, RatingScale, ScaleAdministration
from exercises.services import ARTICLE_STEMS, balanced_prompt_set, prompts_for_clinic
from tests.factories import ClientFactory
from tests.factories_exercises import ExplorationFactory, TherapySessionFactory

pytestmark = pytest.mark.django_db


def start(as_ana, client_record, **data):
    return as_ana.post(
        reverse("exercises:exploration_start", args=[client_record.pk]),
        {"date": "2026-03-02", "mode": "balanced", **data},
    )


def edit_data(exploration, **extra):
    data = {"date": exploration.date.isoformat(), "hypothesis": "not_yet_clear"}
    data.update({f"answer_{a.pk}": "" for a in exploration.answers.all()})
    data.update(extra)
    return data


def test_the_shipped_bank_holds_the_article_stems_and_thirty_more_tagged_prompts():
    shipped = Prompt.objects.filter(clinic=None)
    assert set(ARTICLE_STEMS) <= set(shipped.values_list("text", flat=True))
    assert shipped.count() >= 32
    assert {p.dimension for p in shipped} == {"anxiety", "avoidance", "both"}
    assert all(p.theme for p in shipped)


def test_the_balanced_set_starts_with_the_article_stems_and_mixes_dimensions(clinic):
    chosen = balanced_prompt_set(list(prompts_for_clinic(clinic.pk)))
    assert len(chosen) == 8
    assert [p.text for p in chosen[:2]] == list(ARTICLE_STEMS)
    dims = [p.dimension for p in chosen]
    assert dims.count("anxiety") >= 2 and dims.count("avoidance") >= 2
    assert len({p.theme for p in chosen}) >= 6


def test_ana_starts_an_exploration_linked_to_a_session_of_this_client(as_ana, client_record):
    session = TherapySessionFactory(client=client_record)
    response = start(as_ana, client_record, session=session.pk)
    exploration = Exploration.objects.get()
    assert response.status_code == 302
    assert exploration.session == session
    assert exploration.answers.count() == 8


def test_a_session_of_another_client_is_not_offered(as_ana, ana, client_record):
    foreign = TherapySessionFactory(client=ClientFactory(primary_therapist=ana))
    response = start(as_ana, client_record, session=foreign.pk)
    assert response.status_code == 200
    assert not Exploration.objects.exists()


def test_choosing_by_theme_takes_only_that_themes_prompts(as_ana, client_record):
    start(as_ana, client_record, mode="themes", themes=["separation"])
    themes = {a.prompt.theme for a in Exploration.objects.get().answers.all()}
    assert themes == {"separation"}


def test_choosing_by_theme_without_a_theme_explains_and_keeps_the_form(as_ana, client_record):
    response = start(as_ana, client_record, mode="themes")
    assert response.status_code == 200
    assert "Pick at least one theme" in response.content.decode()


def test_answers_and_the_hypothesis_are_saved_and_update_the_client_record(as_ana, client_record):
    start(as_ana, client_record)
    exploration = Exploration.objects.get()
    first = exploration.answers.first()
    url = reverse("exercises:exploration_edit", args=[client_record.pk, exploration.pk])
    response = as_ana.post(
        url,
        edit_data(
            exploration,
            hypothesis="anxious",
            anxiety_rating=6,
            avoidance_rating=2,
            hypothesis_on_record="change",
            **{f"answer_{first.pk}": "I text them again and again."},
        ),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    client_record.refresh_from_db()
    assert first.answer == "I text them again and again."
    assert client_record.attachment_hypothesis == AttachmentStyle.ANXIOUS
    assert client_record.attachment_hypothesis_date == dt.date(2026, 3, 2)

    # Revised later: the newest save wins.
    as_ana.post(
        url,
        edit_data(
            exploration, hypothesis="secure", anxiety_rating=3, hypothesis_on_record="change"
        ),
    )
    exploration.refresh_from_db()
    client_record.refresh_from_db()
    assert (exploration.hypothesis, exploration.anxiety_rating) == ("secure", 3)
    assert client_record.attachment_hypothesis == "secure"


def test_an_older_exploration_does_not_overwrite_a_newer_hypothesis(as_ana, client_record):
    client_record.attachment_hypothesis = "avoidant"
    client_record.attachment_hypothesis_date = dt.date(2026, 5, 1)
    client_record.save()
    old = ExplorationFactory(client=client_record, date=dt.date(2026, 1, 1))
    as_ana.post(
        reverse("exercises:exploration_edit", args=[client_record.pk, old.pk]),
        edit_data(old, date="2026-01-01", hypothesis="anxious", hypothesis_on_record="change"),
    )
    client_record.refresh_from_db()
    assert client_record.attachment_hypothesis == "avoidant"


def test_a_rating_outside_one_to_seven_is_refused_beside_the_field(as_ana, client_record):
    exploration = ExplorationFactory(client=client_record, date=dt.date(2026, 1, 1))
    response = as_ana.post(
        reverse("exercises:exploration_edit", args=[client_record.pk, exploration.pk]),
        edit_data(exploration, anxiety_rating=9, observations="typed text"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "less than or equal to 7" in page and "typed text" in page
    exploration.refresh_from_db()
    assert exploration.anxiety_rating is None


def test_autosave_of_an_exploration_answers_in_json(as_ana, client_record):
    exploration = ExplorationFactory(client=client_record, date=dt.date(2026, 1, 1))
    url = reverse("exercises:exploration_edit", args=[client_record.pk, exploration.pk])
    ok = as_ana.post(url, edit_data(exploration, observations="draft"), HTTP_X_AUTOSAVE="1")
    bad = as_ana.post(url, edit_data(exploration, anxiety_rating=0), HTTP_X_AUTOSAVE="1")
    assert ok.status_code == 200 and "saved_at" in ok.json()
    assert bad.status_code == 400 and "anxiety_rating" in bad.json()["errors"]


def test_a_retired_prompt_is_no_longer_offered_but_stays_in_old_explorations(
    client, dee, as_ana, client_record
):
    start(as_ana, client_record)
    exploration = Exploration.objects.get()
    stem = Prompt.objects.get(text=ARTICLE_STEMS[0])
    client.force_login(dee)
    client.post(reverse("exercises:prompt_retire", args=[stem.pk]), {"retired": "1"})
    assert stem not in prompts_for_clinic(dee.clinic_id)
    client.force_login(client_record.primary_therapist)
    page = client.get(exploration.get_absolute_url()).content.decode()
    assert "When I&#x27;m upset, I usually…" in page
    assert "retired prompt" in page


def test_a_clinic_admin_adds_and_edits_a_prompt_for_the_clinic_only(client, dee, olivia):
    client.force_login(dee)
    client.post(
        reverse("exercises:prompt_new"),
        {"text": "When plans change, I…", "theme": "separation", "dimension": "anxiety"},
    )
    prompt = Prompt.objects.get(text="When plans change, I…")
    assert prompt.clinic_id == dee.clinic_id
    client.post(
        reverse("exercises:prompt_edit", args=[prompt.pk]),
        {
            "text": "When plans change at short notice, I…",
            "theme": "separation",
            "dimension": "anxiety",
        },
    )
    prompt.refresh_from_db()
    assert prompt.text == "When plans change at short notice, I…"
    assert prompt not in prompts_for_clinic(olivia.clinic_id)


def test_a_therapist_cannot_change_the_prompt_bank(as_ana):
    response = as_ana.post(
        reverse("exercises:prompt_new"), {"text": "X…", "theme": "trust", "dimension": "both"}
    )
    assert response.status_code == 404
    assert not Prompt.objects.filter(text="X…").exists()


SCALE_ITEMS = (
    "anxiety: I worry people will leave.\navoidance (R): I find it easy to lean on others."
)


def test_a_clinic_scale_is_defined_answered_scored_and_charted(client, dee, ana, client_record):
    client.force_login(dee)
    response = client.post(
        reverse("exercises:scale_new"),
        {"name": "Closeness check", "min_value": 1, "max_value": 7, "items_text": SCALE_ITEMS},
    )
    assert response.status_code == 302
    scale = RatingScale.objects.get(clinic__isnull=False)
    worry, lean = scale.items.all()
    assert (lean.subscale, lean.reverse_keyed) == ("avoidance", True)

    client.force_login(ana)
    as_ana = client
    url = reverse("exercises:scale_administer", args=[client_record.pk, scale.pk])
    as_ana.post(url, {"date": "2026-02-01", f"item_{worry.pk}": 6, f"item_{lean.pk}": 2})
    as_ana.post(url, {"date": "2026-04-01", f"item_{worry.pk}": 4, f"item_{lean.pk}": 5})
    assert ScaleAdministration.objects.count() == 2
    page = as_ana.get(
        reverse("exercises:scale_results", args=[client_record.pk, scale.pk])
    ).content.decode()
    assert "6.00" in page and "3.00" in page  # reverse-keyed 5 on 1–7 scores 3
    assert "not a validated instrument" in page
    assert 'class="line-chart"' in page


def test_a_scale_line_that_does_not_parse_is_named_in_the_error(client, dee):
    client.force_login(dee)
    response = client.post(
        reverse("exercises:scale_new"),
        {"name": "S", "min_value": 1, "max_value": 7, "items_text": "anxiety: ok\nno colon here"},
    )
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    assert not RatingScale.objects.filter(clinic__isnull=False).exists()


def test_the_plane_chart_and_table_show_the_path_of_ratings(as_ana, client_record):
    ExplorationFactory(
        client=client_record, date=dt.date(2026, 1, 1), anxiety_rating=6, avoidance_rating=2
    )
    ExplorationFactory(
        client=client_record, date=dt.date(2026, 4, 1), anxiety_rating=4, avoidance_rating=2
    )
    page = as_ana.get(
        reverse("exercises:exploration_list", args=[client_record.pk])
    ).content.decode()
    assert 'class="style-plane"' in page
    assert page.index("1 Jan 2026") < page.index("1 Apr 2026")
    # Said once, beside the numbers, not repeated by the chart and every field.
    assert page.count("not a validated instrument") == 1
    assert page.index("1 Apr 2026</th>") < page.index("not a validated instrument")


def test_saving_an_exploration_that_would_change_the_records_hypothesis_asks_first(
    as_ana, client_record
):
    client_record.attachment_hypothesis = "avoidant"
    client_record.attachment_hypothesis_date = dt.date(2026, 1, 5)
    client_record.save()
    exploration = ExplorationFactory(client=client_record, date=dt.date(2026, 3, 2))
    first = exploration.answers.first()
    url = reverse("exercises:exploration_edit", args=[client_record.pk, exploration.pk])
    typed = {"observations": "Reaches out, then pulls back."}
    if first:
        typed[f"answer_{first.pk}"] = "I go quiet."
    response = as_ana.post(url, edit_data(exploration, hypothesis="anxious", **typed))
    page = response.content.decode()
    assert response.status_code == 200  # asked, not saved
    assert "This changes the working hypothesis" in page
    assert "Avoidant" in page and "Anxious" in page
    assert "Reaches out, then pulls back." in page  # nothing typed is lost
    client_record.refresh_from_db()
    exploration.refresh_from_db()
    assert client_record.attachment_hypothesis == "avoidant"
    assert exploration.observations != "Reaches out, then pulls back."

    # Keep the record as it is: the exploration is saved, the record's hypothesis is not.
    as_ana.post(
        url, edit_data(exploration, hypothesis="anxious", hypothesis_on_record="keep", **typed)
    )
    client_record.refresh_from_db()
    exploration.refresh_from_db()
    assert exploration.hypothesis == "anxious"
    assert client_record.attachment_hypothesis == "avoidant"

    # Confirmed: now the record changes.
    as_ana.post(
        url, edit_data(exploration, hypothesis="anxious", hypothesis_on_record="change", **typed)
    )
    client_record.refresh_from_db()
    assert client_record.attachment_hypothesis == "anxious"


def test_an_autosave_never_changes_the_records_hypothesis_silently(as_ana, client_record):
    client_record.attachment_hypothesis = "avoidant"
    client_record.attachment_hypothesis_date = dt.date(2026, 1, 5)
    client_record.save()
    exploration = ExplorationFactory(client=client_record, date=dt.date(2026, 3, 2))
    url = reverse("exercises:exploration_edit", args=[client_record.pk, exploration.pk])
    response = as_ana.post(
        url, edit_data(exploration, hypothesis="secure"), headers={"X-Autosave": "1"}
    )
    assert response.status_code == 200
    exploration.refresh_from_db()
    client_record.refresh_from_db()
    assert exploration.hypothesis == "secure"  # the draft is kept
    assert client_record.attachment_hypothesis == "avoidant"


def test_the_exploration_page_says_it_is_an_aid_once(as_ana, client_record):
    exploration = ExplorationFactory(client=client_record, date=dt.date(2026, 3, 2))
    for name in ("exercises:exploration_edit", "exercises:exploration_detail"):
        exploration.anxiety_rating, exploration.avoidance_rating = 4, 3
        exploration.save()
        page = as_ana.get(reverse(name, args=[client_record.pk, exploration.pk])).content.decode()
        assert page.count("not a validated instrument") == 1, name
