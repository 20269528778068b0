from exercises.models.companion import (
    CompanionLetter,
    CompanionPractice,
    SharedItem,
    SharedKind,
)
from exercises.models.exploration import (
    Exploration,
    ExplorationAnswer,
    Prompt,
    PromptDimension,
    PromptTheme,
    RatingScale,
    ScaleAdministration,
    ScaleItem,
)
from exercises.models.letters import LetterKind, LetterRevision, ReparentingLetter
from exercises.models.maps import (
    Figure,
    FigureRole,
    MapSnapshot,
    MapTheme,
    RelationshipMap,
    Tie,
    TieDirection,
    TieKind,
)
from exercises.models.safe_space import (
    GROUNDING_TECHNIQUES,
    SafeSpaceKind,
    SafeSpacePlan,
    SafeSpacePractice,
)

__all__ = [
    "CompanionLetter",
    "CompanionPractice",
    "SharedItem",
    "SharedKind",
    "GROUNDING_TECHNIQUES",
    "Exploration",
    "ExplorationAnswer",
    "Figure",
    "FigureRole",
    "LetterKind",
    "LetterRevision",
    "MapSnapshot",
    "MapTheme",
    "Prompt",
    "PromptDimension",
    "PromptTheme",
    "RatingScale",
    "RelationshipMap",
    "ReparentingLetter",
    "SafeSpaceKind",
    "SafeSpacePlan",
    "SafeSpacePractice",
    "ScaleAdministration",
    "ScaleItem",
    "Tie",
    "TieDirection",
    "TieKind",
]
