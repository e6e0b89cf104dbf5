"""The structure of a child investigation (BBIC, followup.md 4.2): the areas of the BBIC triangle, then the
closing parts. Pure data; `services.py` creates one `InvestigationPart` per entry."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PartDefinition:
    key: str
    title: str | Promise
    group: str
    rated: bool  # BBIC areas carry a rating (Inga / Vissa / Stora / Mycket stora behov)


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise


GROUPS = [
    Group("child_needs", _("The child's needs")),
    Group("parenting_capacity", _("The parents' capacity")),
    Group("family_environment", _("Family and environment")),
    Group("conclusion", _("Conversations, communication and assessment")),
]
FREE_GROUP = Group("free", _("Parts of the investigation"))
GROUP_TITLES = {g.key: g.title for g in [*GROUPS, FREE_GROUP]}

_AREAS: list[tuple[str, list[tuple[str, str | Promise]]]] = [
    (
        "child_needs",
        [
            ("health", _("Health")),
            ("education", _("Education")),
            ("emotional_behavioural_development", _("Emotional and behavioural development")),
            ("identity", _("Identity")),
            ("family_social_relationships", _("Family and social relationships")),
            ("social_presentation", _("Social presentation")),
            ("self_care_skills", _("Self-care skills")),
        ],
    ),
    (
        "parenting_capacity",
        [
            ("basic_care", _("Basic care")),
            ("ensuring_safety", _("Safety")),
            ("emotional_warmth", _("Emotional availability")),
            ("stimulation", _("Stimulation")),
            ("guidance_boundaries", _("Guidance and boundaries")),
            ("stability", _("Stability")),
        ],
    ),
    (
        "family_environment",
        [
            ("family_history_functioning", _("Family history and functioning")),
            ("wider_family", _("Wider family")),
            ("housing", _("Housing")),
            ("employment", _("Employment")),
            ("income", _("Finances")),
            ("social_integration", _("Social integration")),
            ("community_resources", _("Community resources")),
        ],
    ),
]
_CLOSING: list[tuple[str, str | Promise]] = [
    ("conversation_with_child", _("Conversations with the child")),
    ("guardians_view", _("The guardians' view")),
    ("communication", _("Communication")),
    ("assessment_and_proposal", _("Assessment and proposal")),
]

BBIC_PARTS: list[PartDefinition] = [
    *(PartDefinition(key, title, group, True) for group, areas in _AREAS for key, title in areas),
    *(PartDefinition(key, title, "conclusion", False) for key, title in _CLOSING),
]

PART_TITLES = {d.key: d.title for d in BBIC_PARTS}

# Kommunicering (FL 25 §) lets the parties comment on the finished material: it cannot start before the
# assessment and proposal are completed.
PREREQUISITES: dict[str, str] = {"communication": "assessment_and_proposal"}
