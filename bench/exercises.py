"""Clinical content for the large clinic, and the pages that show it.

A seeder fills, for a tenth of the clients (those with a treatment plan), the
plan's current revision (formulation, three goals with objectives and
interventions) and a relationship map of eight figures; `seeded.client` gets a
40-figure, 120-tie map (the map page case); the timeline client's 300 sessions
get DAP notes. All by COPY or one UPDATE; all fictional.
"""

import random

from bench.pages import page_case
from bench.seed import Seeded, Size, copy_objects, seeder

PHRASE = [
    *["notices", "the", "pull", "to", "withdraw", "when", "a", "partner", "is", "late"],
    *["names", "the", "fear", "of", "being", "left", "practises", "a", "grounding"],
    *["breath", "and", "asks", "for", "reassurance", "in", "words"],
]
ROLES = ["mother", "father", "partner", "sibling", "friend", "colleague", "child", "caregiver"]
TECHNIQUES = ["inner_child", "emotion_focused", "mindfulness"]
KINDS = ["close", "fused", "distant", "cut_off", "conflict", "close_conflicted", "focused_on"]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(PHRASE) for _ in range(words)).capitalize() + "."


def _map(client, rng: random.Random, figures: int, ties: int):
    from exercises.models import Figure, RelationshipMap, Tie

    relationship_map = RelationshipMap(
        client=client,
        therapist_id=client.primary_therapist_id,
        title="Relationship map",
        notes=sentence(rng, 20),
    )
    people = [
        Figure(
            map=relationship_map,
            role="client" if i == 0 else rng.choice(ROLES),
            label="Client" if i == 0 else f"Person {i} (fictional)",
            deceased=i % 11 == 10,
            x=rng.randint(30, 770),
            y=rng.randint(30, 530),
            note=sentence(rng, 6) if i % 3 == 0 else "",
        )
        for i in range(figures)
    ]
    lines = []
    for j in range(ties):
        a, b = rng.sample(range(figures), 2)
        lines.append(
            Tie(
                map=relationship_map,
                source=people[a],
                target=people[b],
                closeness=rng.randint(0, 5),
                trust=rng.randint(0, 5),
                tension=rng.randint(0, 5),
                direction=rng.choice(["mutual", "one_way"]),
                kind=KINDS[j % len(KINDS)],
            )
        )
    return relationship_map, people, lines


@seeder("plan content, relationship maps, session notes")
def seed_content(seeded: Seeded, size: Size) -> dict[str, int]:
    from django.db import connection

    from clients.models import Client, PlanGoal, PlanIntervention, PlanObjective, PlanRevision

    rng = random.Random(9)
    revisions = list(
        PlanRevision.objects.filter(number=1).select_related("plan__client").order_by("pk")
    )
    goals, objectives, interventions = [], [], []
    for revision in revisions:
        for g in range(3):
            goal = PlanGoal(revision=revision, order=g, text=sentence(rng, 9))
            goals.append(goal)
            objectives += [
                PlanObjective(
                    goal=goal,
                    order=o,
                    text=sentence(rng, 14),
                    status=rng.choice(["not_started", "in_progress", "met"]),
                    progress=rng.choice([0, 20, 40, 60]),
                )
                for o in range(3)
            ]
            interventions += [
                PlanIntervention(goal=goal, order=i, technique=t, frequency="weekly")
                for i, t in enumerate(rng.sample(TECHNIQUES, 2))
            ]
    copy_objects(goals)
    copy_objects(objectives)
    copy_objects(interventions)
    text = sentence(rng, 60)
    with connection.cursor() as cursor:  # raw: the model refuses bulk changes to signed rows
        cursor.execute(
            "UPDATE clients_planrevision SET presenting_problems = %s, hypothesis_evidence = %s, "
            "relationship_patterns = %s, change_wishes = %s, strengths = %s, supports = %s",
            [text] * 6,
        )

    maps, figures, ties = [], [], []
    clients = [r.plan.client for r in revisions if r.plan.client_id != seeded.client.pk]
    for client in clients:
        m, f, t = _map(client, rng, figures=8, ties=10)
        maps.append(m)
        figures += f
        ties += t
    big = _map(Client.objects.get(pk=seeded.client.pk), rng, figures=40, ties=120)
    maps.append(big[0])
    figures += big[1]
    ties += big[2]
    copy_objects(maps)
    copy_objects(figures)
    copy_objects(ties)
    seed_largest_map(seeded)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE clients_therapysession SET note_format = 'dap', note_data = %s, "
            "note_assessment = %s, note_plan = %s, techniques = %s::jsonb, "
            "distress_before = 6, distress_after = 4 WHERE client_id = %s",
            [
                sentence(rng, 80),
                sentence(rng, 40),
                sentence(rng, 20),
                '["inner_child", "mindfulness"]',
                seeded.timeline_client.pk,
            ],
        )
    return {
        "plan_goals": len(goals),
        "plan_objectives": len(objectives),
        "relationship_maps": len(maps),
        "map_figures": len(figures),
        "map_ties": len(ties),
    }


LARGEST_MAP_TITLE = "Relationship map, 200 figures"


def seed_largest_map(seeded: Seeded) -> None:
    """The largest map the editor allows (200 figures, 600 ties), on the timeline client."""
    from clients.models import Client
    from exercises.models import RelationshipMap

    client = Client.objects.get(pk=seeded.timeline_client.pk)
    if RelationshipMap.objects.filter(client=client, title=LARGEST_MAP_TITLE).exists():
        return
    rmap, figures, ties = _map(client, random.Random(200), figures=200, ties=600)
    rmap.title = LARGEST_MAP_TITLE
    copy_objects([rmap])
    copy_objects(figures)
    copy_objects(ties)


def big_map_path(seeded: Seeded) -> str:
    from exercises.models import RelationshipMap

    found = (
        RelationshipMap.objects.filter(client=seeded.client)
        .exclude(title=LARGEST_MAP_TITLE)
        .order_by("-created_at")
        .first()
    )
    return f"/exercises/clients/{seeded.client.pk}/maps/{found.pk}/"


def largest_map_path(seeded: Seeded) -> str:
    from exercises.models import RelationshipMap

    seed_largest_map(seeded)  # a database seeded before this case existed gets it now
    found = RelationshipMap.objects.get(client=seeded.timeline_client, title=LARGEST_MAP_TITLE)
    return f"/exercises/clients/{seeded.timeline_client.pk}/maps/{found.pk}/"


# Targets (issue 16): the map page within 6x of the floor at 40 figures, 10x at 200.
page_case("relationship map, 40 figures", big_map_path, target=6)
page_case("relationship map, 200 figures", largest_map_path, target=10)
