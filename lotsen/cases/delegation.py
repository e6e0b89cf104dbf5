"""The delegationsordning as data (R-DEL-1, R-DEL-2): which role may sign which decision type."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from lotsen.accounts.models import Role
from lotsen.cases.models import AppealRoute, DecisionType, DelegationRule, DelegationScheme
from lotsen.policies.access import ROLE_RANK, role_rank_in_unit

# R-DEL-2: decision types that only the nämnd or an utskott may decide (SoL 30:6).
COMMITTEE_ONLY_TYPES = {DecisionType.PLACEMENT_FOSTER_HOME, DecisionType.CARE_REVIEW}

# The default scheme loaded by the demo and the first migration of a municipality (editable data).
DEFAULT_RULES: list[dict[str, Any]] = [
    {"point": "2.1", "decision_type": DecisionType.PRE_ASSESSMENT, "delegate_role": Role.CASEWORKER,
     "law_reference": "20 kap. 2 § SoL", "appeal_route": AppealRoute.NONE},
    {"point": "2.2", "decision_type": DecisionType.PRE_ASSESSMENT_EXTENSION, "delegate_role": Role.TEAM_LEAD,
     "law_reference": "20 kap. 2 § SoL", "appeal_route": AppealRoute.NONE},
    {"point": "2.3", "decision_type": DecisionType.INVESTIGATION_EXTENSION, "delegate_role": Role.TEAM_LEAD,
     "law_reference": "20 kap. 3 § SoL", "appeal_route": AppealRoute.NONE},
    {"point": "2.4", "decision_type": DecisionType.INVESTIGATION_CLOSED, "delegate_role": Role.TEAM_LEAD,
     "law_reference": "14 kap. 2 § SoL", "appeal_route": AppealRoute.NONE},
    {"point": "3.1", "decision_type": DecisionType.NON_RESIDENTIAL, "delegate_role": Role.TEAM_LEAD,
     "law_reference": "11 kap. 1 § SoL", "appeal_route": AppealRoute.ADMINISTRATIVE_APPEAL},
    {"point": "3.2", "decision_type": DecisionType.CONTACT_PERSON, "delegate_role": Role.TEAM_LEAD,
     "law_reference": "11 kap. 1 § SoL", "appeal_route": AppealRoute.ADMINISTRATIVE_APPEAL},
    {"point": "3.3", "decision_type": DecisionType.PLACEMENT_HVB, "delegate_role": Role.UNIT_MANAGER,
     "law_reference": "11 kap. 1 § SoL", "appeal_route": AppealRoute.ADMINISTRATIVE_APPEAL},
    {"point": "3.4", "decision_type": DecisionType.PLACEMENT_FOSTER_HOME, "delegate_role": "",
     "committee_only": True, "law_reference": "22 kap. 2 § SoL", "appeal_route": AppealRoute.ADMINISTRATIVE_APPEAL},
    {"point": "3.5", "decision_type": DecisionType.CARE_REVIEW, "delegate_role": "", "committee_only": True,
     "law_reference": "22 kap. 13 § SoL", "appeal_route": AppealRoute.NONE},
    {"point": "4.1", "decision_type": DecisionType.ADULT_INTERVENTION, "delegate_role": Role.TEAM_LEAD,
     "law_reference": "11 kap. 1 § SoL", "appeal_route": AppealRoute.ADMINISTRATIVE_APPEAL},
    {"point": "5.1", "decision_type": DecisionType.FINANCIAL_ASSISTANCE, "delegate_role": Role.CASEWORKER,
     "law_reference": "12 kap. 1 § SoL", "appeal_route": AppealRoute.ADMINISTRATIVE_APPEAL},
]  # fmt: skip


class DelegationError(ValueError):
    pass


def validate_rule(rule: dict[str, Any]) -> None:
    """R-DEL-2: a row below the minimum level is rejected when loaded."""
    if rule["decision_type"] in COMMITTEE_ONLY_TYPES and not rule.get("committee_only"):
        raise DelegationError(f"Punkt {rule['point']}: beslutstypen får bara delegeras till utskott (30 kap. 6 § SoL).")


def install_default_scheme(*, valid_from: date, version: str = "2026.1", adopted_by: str = "") -> DelegationScheme:
    scheme, created = DelegationScheme.objects.get_or_create(
        version=version,
        defaults={"valid_from": valid_from, "adopted_by": adopted_by or "Socialnämnden (demo)", "is_active": True},
    )
    if created:
        for row in DEFAULT_RULES:
            validate_rule(row)
            DelegationRule.objects.create(scheme=scheme, **row)
    return scheme


def rule_for(decision_type: str, on: date) -> DelegationRule | None:
    return (
        DelegationRule.objects.filter(
            decision_type=decision_type,
            scheme__is_active=True,
            scheme__valid_from__lte=on,
        )
        .filter(Q(scheme__valid_to__isnull=True) | Q(scheme__valid_to__gte=on))
        .select_related("scheme")
        .first()
    )


def may_sign(user: Any, rule: DelegationRule, unit_id: int) -> bool:
    """R-DEL-1: signing is refused when no valid rule covers the signer. A role ranked at or above the
    delegate in the case's unit is covered (the delegationsordning names the lowest level)."""
    if rule.committee_only:
        return any(m.role == Role.BOARD_SECRETARY for m in user.active_memberships())
    needed = ROLE_RANK.get(rule.delegate_role, 99)
    return role_rank_in_unit(user, unit_id) >= needed
