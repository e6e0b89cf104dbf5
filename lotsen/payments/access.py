"""Who may see and do what with payments, batches, recoveries and the statutory statistics.

Built only on `lotsen.policies.access` (roles, memberships, `visible_cases`, `can_work_on_case`), so the
rules stay in one place; these functions answer the payment-specific questions:

- an EB caseworker (and team lead, unit manager) sees the payments and recoveries of the cases they see
  (`visible_cases`) and plans payments in cases they work on (`can_work_on_case`);
- the finance officer (ekonom) works with payment batches across the municipality, registers bank returns
  and repayments, and sees every payment and recovery, but person details of protected persons only masked;
- the Socialstyrelsen statistics are produced by the finance officer, the head of social services and the
  leads (team lead, unit manager) of ekonomiskt bistånd units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lotsen.accounts.models import Role
from lotsen.core.models import UnitKind
from lotsen.policies.access import can_work_on_case, may_view_protected, memberships_of, roles, visible_cases

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lotsen.payments.models import Payment, Recovery


def is_finance_officer(user: Any) -> bool:
    return Role.FINANCE_OFFICER in roles(user)


def can_manage_batches(user: Any) -> bool:
    return is_finance_officer(user)


def can_plan_payments(user: Any, case: Any) -> bool:
    return case.process == "assistance" and can_work_on_case(user, case)


def can_register_repayment(user: Any, recovery: Recovery) -> bool:
    return is_finance_officer(user) or can_work_on_case(user, recovery.case)


def can_view_statistics(user: Any) -> bool:
    if is_finance_officer(user) or Role.HEAD_OF_SOCIAL_SERVICES in roles(user):
        return True
    return any(
        m.role in (Role.TEAM_LEAD, Role.UNIT_MANAGER) and m.unit.kind == UnitKind.ASSISTANCE
        for m in memberships_of(user)
    )


def sees_recoveries(user: Any) -> bool:
    return is_finance_officer(user) or bool(
        roles(user) & {Role.CASEWORKER, Role.TEAM_LEAD, Role.UNIT_MANAGER, Role.HEAD_OF_SOCIAL_SERVICES}
    )


def visible_payments(user: Any) -> QuerySet[Payment]:
    from lotsen.payments.models import Payment

    if not getattr(user, "is_authenticated", False):
        return Payment.objects.none()
    if is_finance_officer(user):
        return Payment.objects.all()
    return Payment.objects.filter(case__in=visible_cases(user))


def visible_recoveries(user: Any) -> QuerySet[Recovery]:
    from lotsen.payments.models import Recovery

    if not getattr(user, "is_authenticated", False):
        return Recovery.objects.none()
    if is_finance_officer(user):
        return Recovery.objects.all()
    return Recovery.objects.filter(case__in=visible_cases(user))


def shows_protected_details(user: Any) -> bool:
    """Names and creditor details of protected persons (a landlord's name can disclose where someone lives,
    R-SEK-3) are shown only to users with the explicit permission."""
    return may_view_protected(user)
