"""Gentle openings and questions shown beside a reparenting letter. Never inserted unasked."""

from exercises.models import LetterKind

SCAFFOLDS: dict[str, dict[str, list[str]]] = {
    LetterKind.YOUNGER_SELF: {
        "Openings": [
            "Dear little me, I want you to know…",
            "I am writing to you from the future, and I want to tell you…",
            "I remember how it felt when…",
            "You did the best you could with what you had. Right now I see…",
        ],
        "Questions to explore": [
            "What did your younger self most need to hear?",
            "What would you like them to know about who they became?",
            "What was not their fault?",
            "What would you want to protect them from, and how?",
            "What do you admire about how they coped?",
        ],
        "Closing": [
            "I am here now, and I will keep looking after you by…",
            "Whenever you feel alone, remember…",
        ],
    },
    LetterKind.REWRITE: {
        "Setting the scene": [
            "Describe the moment only as far as feels manageable today.",
            "Who could the supportive caregiver be: a real person, an imagined one, or you now?",
        ],
        "The caregiver's response": [
            "The caregiver kneels down, looks at me and says…",
            "They notice how I am feeling and name it: “You look…”",
            "They stay with me until…",
            "They make it clear it is not my fault by…",
        ],
        "Afterwards": [
            "How does the younger you feel, in their body, after being met this way?",
            "What changes in what the younger you believes about themselves?",
            "What might they now expect from the people around them?",
        ],
    },
}

REFLECTION_QUESTIONS = [
    "What did you notice in your body as you wrote or read this?",
    "What surprised you?",
    "Is there anything you would like to keep with you from this letter?",
]


def scaffold_groups(groups: dict[str, list[str]]) -> dict[str, list[tuple[str, bool]]]:
    """Each scaffold line, and whether it can be inserted: a sentence that trails off (…)
    is an opening to continue in the letter; a question or a suggestion is not."""
    return {h: [(line, line.endswith("…")) for line in lines] for h, lines in groups.items()}


def writing_aids(kind: str | None) -> dict:
    """What the letter page offers beside the form: the openings for the chosen kind of
    letter (inserted with one click), the other kinds' openings, the reflection questions."""
    chosen = kind or LetterKind.YOUNGER_SELF
    return {
        "scaffolds": scaffold_groups(SCAFFOLDS.get(chosen, {})),
        "other_scaffolds": {LetterKind(k).label: v for k, v in SCAFFOLDS.items() if k != chosen},
        "reflection_questions": REFLECTION_QUESTIONS,
    }
