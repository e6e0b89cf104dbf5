"""Administration of the delegationsordning (UI.md page 26, R-DEL-1, R-DEL-2): versions, draft editing,
activation with the nämnd's decision. Writes go through these services (system administrator only), each
in one transaction with its audit row.

A version is a *draft* until activated (not active, no end date), *active* (exactly one: database
constraint), or *retired* (its end date set when the next version was activated). Only drafts change:
decisions reference the rules of active and retired versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from lotsen.accounts.models import Role
from lotsen.audit import services as audit
from lotsen.cases import delegation, process
from lotsen.cases.models import AppealRoute, DecisionType, DelegationRule, DelegationScheme
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.policies.access import ROLE_RANK, roles

if TYPE_CHECKING:
    from lotsen.accounts.models import User

COMMITTEE = "committee"
ADMIN_ROLES = {Role.SYSTEM_ADMIN}
READ_ROLES = {Role.SYSTEM_ADMIN, Role.HEAD_OF_SOCIAL_SERVICES, Role.BOARD_SECRETARY, Role.AUDITOR}
RULE_FIELDS = ("point", "decision_type", "delegate_role", "committee_only", "unit_kind", "law_reference", "limits",
               "appeal_route")  # fmt: skip


class SchemeStatus:
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


def may_administer(user: Any) -> bool:
    return bool(roles(user) & ADMIN_ROLES)


def may_read(user: Any) -> bool:
    return bool(roles(user) & READ_ROLES)


def status_of(scheme: DelegationScheme) -> str:
    if scheme.is_active:
        return SchemeStatus.ACTIVE
    if scheme.valid_to is not None:
        return SchemeStatus.RETIRED
    return SchemeStatus.DRAFT


def _require_admin(actor: User) -> None:
    if not may_administer(actor):
        raise PermissionDeniedError("Bara systemförvaltaren kan ändra delegationsordningen.")


def _require_draft(scheme: DelegationScheme) -> None:
    if status_of(scheme) != SchemeStatus.DRAFT:
        raise DomainError("Bara ett utkast kan ändras. Skapa en ny version för att ändra delegationsordningen.")


def required_decision_types() -> list[str]:
    """Every decision type some process uses must have a point in an active version."""
    used = {t for p in process.PROCESSES.values() for t in p.decision_types}
    return [t for t in DecisionType.values if t in used]


# --- drafts ------------------------------------------------------------------------------------------------


@transaction.atomic
def draft_create(*, actor: User, source: DelegationScheme, version: str, valid_from: date) -> DelegationScheme:
    """A new draft version: a copy of `source`'s rows, to be edited and then activated."""
    _require_admin(actor)
    version = version.strip()
    if not version:
        raise DomainError("Ange ett versionsnamn, till exempel 2026.2", field="version")
    if DelegationScheme.objects.filter(version=version).exists():
        raise DomainError("Det finns redan en version med det namnet. Välj ett annat namn.", field="version")
    if DelegationScheme.objects.filter(is_active=False, valid_to__isnull=True).exists():
        raise DomainError("Det finns redan ett utkast. Aktivera eller ändra det i stället.", field="version")
    active = DelegationScheme.objects.filter(is_active=True).first()
    if active is not None and valid_from <= active.valid_from:
        raise DomainError(
            f"Den nya versionen måste gälla från ett senare datum än den aktiva versionen ({active.valid_from}).",
            field="valid_from",
        )
    scheme = DelegationScheme.objects.create(version=version, valid_from=valid_from, adopted_by="", is_active=False)
    DelegationRule.objects.bulk_create(
        [DelegationRule(scheme=scheme, **{f: getattr(rule, f) for f in RULE_FIELDS}) for rule in source.rules.all()]
    )
    audit.record(
        actor=actor,
        action="delegation_scheme.draft_created",
        obj=scheme,
        after={"version": version, "valid_from": valid_from.isoformat(), "copied_from": source.version},
    )
    return scheme


def _clean_rule(scheme: DelegationScheme, data: dict[str, Any], *, exclude_pk: int | None) -> dict[str, Any]:
    delegate = data.get("delegate") or ""
    committee_only = delegate == COMMITTEE
    if not committee_only and delegate not in ROLE_RANK:
        raise DomainError("Välj delegat", field="delegate")
    values = {
        "point": (data.get("point") or "").strip(),
        "decision_type": data.get("decision_type") or "",
        "delegate_role": "" if committee_only else delegate,
        "committee_only": committee_only,
        "law_reference": (data.get("law_reference") or "").strip(),
        "limits": (data.get("limits") or "").strip(),
        "appeal_route": data.get("appeal_route") or "",
    }
    if not values["point"]:
        raise DomainError("Ange punkt, till exempel 3.1", field="point")
    if values["decision_type"] not in DecisionType.values:
        raise DomainError("Välj beslutstyp", field="decision_type")
    if not values["law_reference"]:
        raise DomainError("Ange lagrum, till exempel 11 kap. 1 § SoL", field="law_reference")
    if values["appeal_route"] not in AppealRoute.values:
        raise DomainError("Välj hur beslutet kan överklagas", field="appeal_route")
    try:
        delegation.validate_rule(values)  # R-DEL-2: minimum level
    except delegation.DelegationError as exc:
        raise DomainError(str(exc), field="delegate") from exc
    others = scheme.rules.exclude(pk=exclude_pk) if exclude_pk else scheme.rules.all()
    if others.filter(point=values["point"]).exists():
        raise DomainError(f"Punkt {values['point']} finns redan i versionen. Välj en annan punkt.", field="point")
    same_type = others.filter(decision_type=values["decision_type"]).first()
    if same_type is not None:
        raise DomainError(
            f"Beslutstypen finns redan i punkt {same_type.point}. Ändra den punkten i stället.", field="decision_type"
        )
    return values


@transaction.atomic
def rule_add(*, actor: User, scheme: DelegationScheme, data: dict[str, Any]) -> DelegationRule:
    _require_admin(actor)
    _require_draft(scheme)
    rule = DelegationRule.objects.create(scheme=scheme, **_clean_rule(scheme, data, exclude_pk=None))
    audit.record(actor=actor, action="delegation_rule.added", obj=rule)
    return rule


@transaction.atomic
def rule_update(*, actor: User, rule: DelegationRule, data: dict[str, Any]) -> DelegationRule:
    _require_admin(actor)
    _require_draft(rule.scheme)
    before = audit.snapshot(rule)
    for field, value in _clean_rule(rule.scheme, data, exclude_pk=rule.pk).items():
        setattr(rule, field, value)
    rule.save()
    audit.record(actor=actor, action="delegation_rule.updated", obj=rule, before=before)
    return rule


@transaction.atomic
def rule_delete(*, actor: User, rule: DelegationRule) -> None:
    _require_admin(actor)
    _require_draft(rule.scheme)
    before = audit.snapshot(rule)
    audit.record(actor=actor, action="delegation_rule.deleted", obj=rule, before=before, after={})
    rule.delete()


# --- activation --------------------------------------------------------------------------------------------


def activation_problems(scheme: DelegationScheme) -> list[str]:
    """What stops a draft from being activated: rows below the minimum level (R-DEL-2) and decision types
    without a point (signing would be refused for them, R-DEL-1)."""
    problems = []
    rules = list(scheme.rules.all())
    for rule in rules:
        try:
            delegation.validate_rule({f: getattr(rule, f) for f in RULE_FIELDS})
        except delegation.DelegationError as exc:
            problems.append(str(exc))
    covered = {r.decision_type for r in rules}
    labels = dict(DecisionType.choices)
    for decision_type in required_decision_types():
        if decision_type not in covered:
            problems.append(f"Versionen saknar en punkt för beslutstypen {labels[decision_type]}.")
    return problems


@transaction.atomic
def scheme_activate(
    *, actor: User, scheme: DelegationScheme, board_decided_on: date, board_section: int
) -> DelegationScheme:
    """'Aktivera version' with the nämnd's decision (§, date). The active version ends the day before; only
    one version is active (database constraint)."""
    _require_admin(actor)
    scheme = DelegationScheme.objects.select_for_update().get(pk=scheme.pk)
    _require_draft(scheme)
    today = timezone.localdate()
    if board_decided_on > today:
        raise DomainError("Datum för nämndens beslut kan inte vara senare än i dag.", field="board_decided_on")
    if board_section < 1:
        raise DomainError("Ange paragrafnumret i protokollet, till exempel 12.", field="board_section")
    if scheme.valid_from > today:
        raise DomainError(
            f"Versionen gäller från {scheme.valid_from} och kan aktiveras tidigast den dagen.", field="board_decided_on"
        )
    problems = activation_problems(scheme)
    if problems:
        raise DomainError(problems[0])
    active = DelegationScheme.objects.select_for_update().filter(is_active=True).first()
    if active is not None:
        if scheme.valid_from <= active.valid_from:
            raise DomainError(
                f"Versionen måste gälla från ett senare datum än den aktiva versionen ({active.valid_from}).",
                field="board_decided_on",
            )
        before = audit.snapshot(active)
        active.is_active = False
        active.valid_to = scheme.valid_from - timedelta(days=1)
        active.save(update_fields=["is_active", "valid_to"])
        audit.record(actor=actor, action="delegation_scheme.retired", obj=active, before=before)
    before = audit.snapshot(scheme)
    scheme.is_active = True
    scheme.adopted_by = f"Socialnämnden {board_decided_on.isoformat()} § {board_section}"
    scheme.save(update_fields=["is_active", "adopted_by"])
    audit.record(actor=actor, action="delegation_scheme.activated", obj=scheme, before=before)
    return scheme


# --- reading -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleChange:
    """One line of the difference between two versions, by decision type."""

    decision_type: str
    kind: str  # added | removed | changed
    old: DelegationRule | None
    new: DelegationRule | None
    fields: tuple[str, ...] = ()


def diff(old: DelegationScheme, new: DelegationScheme) -> list[RuleChange]:
    old_rules = {r.decision_type: r for r in old.rules.all()}
    new_rules = {r.decision_type: r for r in new.rules.all()}
    changes = []
    for decision_type in DecisionType.values:
        a, b = old_rules.get(decision_type), new_rules.get(decision_type)
        if a is None and b is None:
            continue
        if a is None:
            changes.append(RuleChange(decision_type, "added", None, b))
        elif b is None:
            changes.append(RuleChange(decision_type, "removed", a, None))
        else:
            fields = tuple(f for f in RULE_FIELDS if getattr(a, f) != getattr(b, f))
            if fields:
                changes.append(RuleChange(decision_type, "changed", a, b, fields))
    return changes
