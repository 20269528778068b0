"""The shipped prompt bank: the two stems from the source article and more in the same voice.

Each stem is tagged with the theme it explores and the dimension (anxiety,
avoidance or both) it mostly speaks to. The text lives here, frozen, so the
bank a clinic saw on a given day never silently changes.
"""

from django.db import migrations

PROMPTS = [
    # (text, theme, dimension)
    ("When I'm upset, I usually…", "emotion", "both"),
    ("I worry that others will…", "reassurance", "anxiety"),
    ("When someone gets close to me, I…", "closeness", "avoidance"),
    ("The closer I feel to someone, the more I…", "closeness", "both"),
    ("When a relationship starts to feel serious, I…", "closeness", "avoidance"),
    ("Being held or comforted feels…", "closeness", "avoidance"),
    ("When I need help, I…", "dependence", "avoidance"),
    ("Relying on someone else makes me feel…", "dependence", "avoidance"),
    ("When someone depends on me, I…", "dependence", "avoidance"),
    ("I trust people when…", "trust", "both"),
    ("When someone promises me something, I…", "trust", "anxiety"),
    ("The people I could count on as a child were…", "trust", "both"),
    ("After an argument, I…", "conflict", "both"),
    ("When someone is angry with me, I…", "conflict", "anxiety"),
    ("When I disagree with someone I care about, I…", "conflict", "avoidance"),
    ("When someone I love goes away for a while, I…", "separation", "anxiety"),
    ("When a relationship ends, I…", "separation", "both"),
    ("When someone doesn't reply to my message, I…", "separation", "anxiety"),
    ("Saying goodbye feels…", "separation", "both"),
    ("I feel worth loving when…", "self_worth", "anxiety"),
    ("When I make a mistake in front of others, I…", "self_worth", "anxiety"),
    ("The part of me I hide from others is…", "self_worth", "avoidance"),
    ("If people really knew me, they would…", "self_worth", "anxiety"),
    ("I know someone cares about me when…", "reassurance", "anxiety"),
    ("When I ask for reassurance, I…", "reassurance", "anxiety"),
    ("When someone tells me they love me, I…", "reassurance", "both"),
    ("When I feel sad, the person I turn to is…", "emotion", "avoidance"),
    ("Showing my feelings to others feels…", "emotion", "avoidance"),
    ("When I feel overwhelmed, my body…", "emotion", "both"),
    ("When I was upset as a child, the adults around me…", "caregivers", "both"),
    ("The person who comforted me when I was small was…", "caregivers", "both"),
    ("In my family, closeness looked like…", "caregivers", "avoidance"),
    ("What I needed most as a child and did not always get was…", "caregivers", "both"),
    ("When I feel left out, I…", "reassurance", "anxiety"),
    ("I keep my independence by…", "dependence", "avoidance"),
    ("A relationship feels safe to me when…", "trust", "both"),
]


def seed(apps, schema_editor):
    Prompt = apps.get_model("exercises", "Prompt")
    existing = set(Prompt.objects.filter(clinic=None).values_list("text", flat=True))
    Prompt.objects.bulk_create(
        [
            Prompt(text=text, theme=theme, dimension=dimension)
            for text, theme, dimension in PROMPTS
            if text not in existing
        ]
    )


def unseed(apps, schema_editor):
    Prompt = apps.get_model("exercises", "Prompt")
    ExplorationAnswer = apps.get_model("exercises", "ExplorationAnswer")
    used = ExplorationAnswer.objects.values_list("prompt_id", flat=True)
    Prompt.objects.filter(clinic=None, text__in=[p[0] for p in PROMPTS]).exclude(
        id__in=used
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_exercises")]
    operations = [migrations.RunPython(seed, unseed)]
