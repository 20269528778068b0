"""Short guides to the four techniques and four exercises, in plain clinical language."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    kind: str  # "Technique" or "Exercise"
    what: str
    helps: list[str]
    cautions: list[str]
    steps: list[str]

    @property
    def url_name(self) -> str:
        return "exercises:guide_" + self.slug.replace("-", "_")


GUIDES: list[Guide] = [
    Guide(
        slug="inner-child-work",
        title="Inner child work",
        kind="Technique",
        what="Inner child work helps a client make contact with the feelings, needs and beliefs "
        "formed in childhood that still shape how they relate to others today. The adult self "
        "learns to notice, understand and care for those younger parts rather than be run by them.",
        helps=[
            "Clients whose present reactions feel bigger than the situation, and who can link them "
            "to early experiences of unmet needs.",
            "Harsh self-criticism that echoes how a caregiver spoke to them.",
            "As groundwork for reparenting letters.",
        ],
        cautions=[
            "Go at the client's pace; early memories can arrive with force. Agree a stop signal.",
            "Keep one foot in the present: orient to the room before and after.",
            "Not a memory-recovery technique. Work with what the client already knows and chooses "
            "to share; do not suggest what may have happened.",
            "With complex trauma, build stabilisation and a safe space first.",
        ],
        steps=[
            "Invite the client to notice a familiar reaction and its age: "
            "“how old does this feel?”",
            "Explore what that younger self needed and did not get, with curiosity, not blame.",
            "Let the adult self offer what was missing: words, protection, comfort.",
            "Close by returning attention to the room and to the adult self's resources.",
        ],
    ),
    Guide(
        slug="emotion-focused-techniques",
        title="Emotion-focused techniques",
        kind="Technique",
        what="Emotion-focused techniques help a client become aware of, name, tolerate and make "
        "sense of emotions, and reach the primary feelings and needs beneath protective ones "
        "(for example the hurt under the anger, the fear under the withdrawal).",
        helps=[
            "Clients who shut feelings down (often more avoidant patterns) or who are flooded by "
            "them (often more anxious patterns).",
            "Relationship conflict that repeats the same cycle of protest and withdrawal.",
        ],
        cautions=[
            "Heightening emotion needs a window of tolerance: track arousal and slow down or "
            "ground when it rises too fast.",
            "Validate before exploring; an emotion that is questioned too early feels judged.",
            "Chair work and enactments can be intense; offer them, never push them.",
        ],
        steps=[
            "Slow down and follow the client's moment-to-moment experience.",
            "Reflect and name feelings tentatively; check the fit with the client.",
            "Move from secondary to primary emotion and the need it points to.",
            "Help the client express the need, first in the room, later in the relationship.",
        ],
    ),
    Guide(
        slug="mindfulness-and-body-awareness",
        title="Mindfulness and body awareness",
        kind="Technique",
        what="Attending, without judgement, to breath, posture and sensation helps a client notice "
        "attachment activation early (a tight chest when a message goes unanswered, a pull to "
        "leave when someone gets close) and to settle it.",
        helps=[
            "Clients who notice their distress only when it is already overwhelming.",
            "Building the grounding skills that make deeper work safe.",
        ],
        cautions=[
            "For some trauma survivors, closing the eyes or focusing inward raises distress. Offer "
            "eyes open, a focus outside the body, short practices, and choice at every step.",
            "Invite rather than instruct: “you might notice…”, “if it feels right…”.",
            "Stop if the client dissociates; orient to the room and the present.",
        ],
        steps=[
            "Start with something neutral: the feet on the floor, the support of the chair.",
            "Invite the client to notice where in the body a feeling sits, and its qualities.",
            "Pair awareness with a settling resource (breath, the safe space).",
            "Practise briefly and often; record distress before and after if helpful.",
        ],
    ),
    Guide(
        slug="corrective-emotional-experiences",
        title="Corrective emotional experiences",
        kind="Technique",
        what="A corrective emotional experience is a moment in which the client expects the "
        "familiar response (rejection, intrusion, indifference) and meets a different one. The "
        "therapeutic relationship itself is the first place this can happen.",
        helps=[
            "Clients whose expectations of others were shaped by unreliable or frightening care.",
            "Ruptures in therapy: repairing them openly can be the most corrective moment of all.",
        ],
        cautions=[
            "It cannot be staged; it comes from the therapist responding genuinely and reliably.",
            "Consistency matters more than warmth on one day: keep boundaries and endings "
            "predictable.",
            "Notice and own your part in a rupture without making the client look after you.",
        ],
        steps=[
            "Notice the client's expectation of you as it shows itself "
            "(“you must be bored of me”).",
            "Respond differently from the feared response, and name the difference gently.",
            "Explore together what that was like.",
            "Link it, when the client is ready, to relationships outside the room.",
        ],
    ),
    Guide(
        slug="attachment-style-exploration",
        title="Attachment style exploration",
        kind="Exercise",
        what="The client completes sentence stems such as “When I'm upset, I usually…” and "
        "“I worry that others will…”. Their answers, in their own words, show patterns that can "
        "be linked to attachment theory and to the working hypothesis of anxious, avoidant, "
        "disorganized or secure ways of relating.",
        helps=[
            "Early in therapy, to open conversation about relationships without labels.",
            "Repeated over months, to notice change, using the optional anxiety and avoidance "
            "ratings plotted over time.",
        ],
        cautions=[
            "The style hypothesis is a working formulation, not a diagnosis; share it with care, "
            "if at all, and in the client's language.",
            "The ratings and clinic scales are an exploration aid, not a validated instrument.",
            "Stems about early caregivers can touch painful memories; the client may skip any.",
        ],
        steps=[
            "Start an exploration with a balanced default set, or choose prompts by theme.",
            "Write the answers in the client's words; add your observations separately.",
            "Record a working hypothesis (or “not yet clear”) and, optionally, ratings.",
            "Link the exploration to the session it was done in.",
        ],
    ),
    Guide(
        slug="relationship-map",
        title="Relationship map",
        kind="Exercise",
        what="A picture of the client's key relationships: the client at the centre, the people "
        "who matter around them, and ties drawn in genogram and ecomap notation, rated for "
        "closeness, trust and tension. Recurring themes are named and linked to the figures they "
        "involve; dated snapshots show how the map changes through therapy.",
        helps=[
            "Making patterns visible: who the client turns to, who they keep at a distance, where "
            "the same theme repeats across relationships.",
            "Reviewing progress: comparing snapshots shows ties that grew closer or calmer.",
        ],
        cautions=[
            "Let the client decide who is on the map and how they are named.",
            "Losses and cut-offs can surface grief; leave room for it.",
            "The map is the client's view, not a record of what others are like.",
        ],
        steps=[
            "Add figures and drag them nearer or further from the client as the client directs.",
            "Draw ties and rate them together; add a note in the client's words.",
            "Name themes and link them to figures.",
            "Save a snapshot at milestones and compare two snapshots side by side.",
        ],
    ),
    Guide(
        slug="reparenting-letter",
        title="Reparenting letter",
        kind="Exercise",
        what="A short letter to the younger self, or a compassionate rewrite of a painful early "
        "experience that imagines a supportive caregiver's response. The client gives their "
        "younger self what was missing: understanding, protection, comfort.",
        helps=[
            "Clients carrying shame or self-blame from childhood experiences.",
            "After inner child work has made the younger self's needs clearer.",
        ],
        cautions=[
            "Choose a manageable experience, not the most painful one; the experience field is "
            "optional and the client decides what is written down.",
            "Plan grounding for afterwards; reading the letter aloud can be moving.",
            "The client decides whether to keep a copy and where it is kept safely.",
        ],
        steps=[
            "Choose the kind of letter and, if the client wishes, the age of the younger self.",
            "Use the scaffolds beside the text as invitations, never as a script.",
            "Record the client's reflection and your own separately.",
            "Every saved version is kept; look at what changed between drafts together.",
        ],
    ),
    Guide(
        slug="safe-space-visualization",
        title="Safe space visualization",
        kind="Exercise",
        what="The client builds an inner image of a place, person or memory that represents "
        "safety, anchored in the senses and a cue word, with grounding techniques for when "
        "stress or fear come up, in sessions and between them.",
        helps=[
            "Stabilisation before trauma-focused or emotionally intense work.",
            "A resource to return to when distress rises in the room: it is one click away on "
            "every page of the client's record.",
        ],
        cautions=[
            "For some clients no place feels fully safe; “safe enough”, calm, or a person or "
            "imagined place are fine alternatives.",
            "If the image becomes contaminated by a distressing memory, stop and choose another.",
            "Record distress before and after to see whether the practice helps; the numbers "
            "belong to the client's experience, not a test.",
        ],
        steps=[
            "Choose the kind of safe space and describe it in the client's words.",
            "Build sensory anchors: what is seen, heard, smelled, felt, tasted.",
            "Add a cue word and choose grounding techniques, including the client's own.",
            "Practise and log distress before and after.",
        ],
    ),
]

GUIDES_BY_SLUG = {g.slug: g for g in GUIDES}
