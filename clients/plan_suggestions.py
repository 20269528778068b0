"""Starting points for a treatment plan, by working attachment-style hypothesis.

These are suggestions for the therapist to adapt, offered only when asked for
and always editable. They describe goals and ways of working, never a
diagnosis: a style hypothesis is a working idea, not a label for the client.
"""

from dataclasses import dataclass, field

from clients.models import AttachmentStyle, Technique


@dataclass(frozen=True)
class Suggestion:
    key: str
    goal: str
    objectives: list[str] = field(default_factory=list)
    interventions: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # technique, what, how often


SUGGESTIONS: dict[str, list[Suggestion]] = {
    AttachmentStyle.ANXIOUS: [
        Suggestion(
            key="anxious-uncertainty",
            goal="Tolerate uncertainty in close relationships with less distress",
            objectives=[
                "Notice and name the urge to seek reassurance in at least three situations a week",
                "Wait ten minutes and self-soothe before seeking reassurance, most times",
            ],
            interventions=[
                (
                    Technique.MINDFULNESS,
                    "Noticing body signals of worry; paced breathing",
                    "Weekly",
                ),
                (
                    Technique.EMOTION_FOCUSED,
                    "Exploring the fear beneath the urge to check",
                    "Weekly",
                ),
            ],
        ),
        Suggestion(
            key="anxious-self-soothing",
            goal="Build ways of self-soothing before turning to others",
            objectives=[
                "Identify three soothing practices that help in the moment",
                "Use one of them before reaching out, and note what changed",
            ],
            interventions=[
                (
                    Technique.INNER_CHILD,
                    "Offering the younger self the comfort that was missing",
                    "Fortnightly",
                ),
            ],
        ),
        Suggestion(
            key="anxious-asking",
            goal="Ask for needs directly and calmly",
            objectives=["Practise one direct, calm request each week and reflect on the response"],
            interventions=[
                (
                    Technique.CORRECTIVE,
                    "Noticing the therapist's steady response to requests",
                    "Ongoing",
                ),
            ],
        ),
    ],
    AttachmentStyle.AVOIDANT: [
        Suggestion(
            key="avoidant-feelings",
            goal="Notice and put words to feelings as they arise",
            objectives=[
                "Name one feeling in session without moving on from it",
                "Keep a brief feelings log three days a week",
            ],
            interventions=[
                (
                    Technique.MINDFULNESS,
                    "Body awareness: where a feeling sits and how it shifts",
                    "Weekly",
                ),
                (Technique.EMOTION_FOCUSED, "Slowing down at moments of feeling", "Weekly"),
            ],
        ),
        Suggestion(
            key="avoidant-closeness",
            goal="Stay with closeness a little longer before pulling away",
            objectives=[
                "Notice the impulse to withdraw and stay for a few more minutes",
                "Share one personal thing with a trusted person each week",
            ],
            interventions=[
                (
                    Technique.CORRECTIVE,
                    "Experiencing closeness in session that stays safe",
                    "Ongoing",
                ),
            ],
        ),
        Suggestion(
            key="avoidant-help",
            goal="Accept help and support without feeling diminished",
            objectives=["Ask for or accept help once a week and reflect on how it felt"],
            interventions=[
                (
                    Technique.INNER_CHILD,
                    "Meeting the younger self who learned to manage alone",
                    "Fortnightly",
                ),
            ],
        ),
    ],
    AttachmentStyle.DISORGANIZED: [
        Suggestion(
            key="disorganized-safety",
            goal="Build a reliable sense of safety and stabilisation",
            objectives=[
                "Have a grounding plan the client can use when fear rises",
                "Use the grounding plan between sessions and report what helped",
            ],
            interventions=[
                (
                    Technique.MINDFULNESS,
                    "Grounding: senses, breath, orienting to the room",
                    "Every session",
                ),
            ],
        ),
        Suggestion(
            key="disorganized-window",
            goal="Widen the window in which closeness and fear can both be held",
            objectives=[
                "Notice when wanting closeness and fearing it arrive together",
                "Pause and ground before acting on either pull",
            ],
            interventions=[
                (Technique.EMOTION_FOCUSED, "Naming mixed feelings with compassion", "Weekly"),
                (
                    Technique.CORRECTIVE,
                    "A consistent, predictable therapeutic relationship",
                    "Ongoing",
                ),
            ],
        ),
    ],
    AttachmentStyle.SECURE: [
        Suggestion(
            key="secure-strengths",
            goal="Use existing relational strengths under current stress",
            objectives=[
                "Identify the supports and skills that have helped before, and use one weekly"
            ],
            interventions=[
                (Technique.EMOTION_FOCUSED, "Processing the current difficulty", "Weekly"),
            ],
        ),
    ],
    AttachmentStyle.NOT_YET_CLEAR: [
        Suggestion(
            key="general-understanding",
            goal="Understand how early experiences shape present relationships",
            objectives=["Map key relationships and the patterns that recur across them"],
            interventions=[
                (
                    Technique.EMOTION_FOCUSED,
                    "Exploring recent relationship moments in detail",
                    "Weekly",
                ),
            ],
        ),
        Suggestion(
            key="general-regulation",
            goal="Strengthen ways of calming the body when relationships feel stressful",
            objectives=["Practise one grounding skill between sessions, three times a week"],
            interventions=[
                (Technique.MINDFULNESS, "Grounding and body awareness", "Weekly"),
            ],
        ),
    ],
}


def suggestions_for(style: str) -> list[Suggestion]:
    return SUGGESTIONS.get(style, SUGGESTIONS[AttachmentStyle.NOT_YET_CLEAR])


def suggestion_by_key(key: str) -> Suggestion | None:
    for group in SUGGESTIONS.values():
        for suggestion in group:
            if suggestion.key == key:
                return suggestion
    return None
