"""The exercises' share of a record's destruction (registered in clients.destruction)."""

from clients.destruction import register_clinical_content
from clients.models import Client
from exercises.models import (
    CheckIn,
    ClosenessRating,
    CompanionLetter,
    CompanionPractice,
    Exploration,
    RelationshipMap,
    ReparentingLetter,
    SafeSpacePlan,
    ScaleAdministration,
    SharedItem,
)

# Rows that point at others of the same client come first (check-ins at their scale's
# administration, replies and ratings at the shared item). Answers, revisions, figures,
# ties, themes, snapshots and practices go with their exercise.
IN_ORDER = (
    CheckIn,
    ClosenessRating,
    CompanionLetter,
    SharedItem,
    CompanionPractice,
    ScaleAdministration,
    Exploration,
    ReparentingLetter,
    RelationshipMap,
    SafeSpacePlan,
)


def destroy_exercises(client: Client) -> None:
    for model in IN_ORDER:
        model._base_manager.filter(client=client).delete()


def register() -> None:
    register_clinical_content(key="exercises", destroy=destroy_exercises)
