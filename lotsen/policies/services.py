"""Writes that grant access."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.policies.access import Action, can
from lotsen.policies.models import EmergencyAccess

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.people.models import Person

MIN_REASON_LENGTH = 10


@transaction.atomic
def emergency_access_grant(*, actor: User, person: Person, reason: str) -> EmergencyAccess:
    """Nödåtkomst (R-SEK-2): time-limited, needs a reason, audited and listed for review."""
    if not can(actor, Action.REQUEST_EMERGENCY_ACCESS):
        raise PermissionDeniedError("Du har inte behörighet att begära nödåtkomst.")
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError("Ange skälet till nödåtkomsten med minst 10 tecken", field="reason", code="reason_required")
    access = EmergencyAccess.objects.create(
        user=actor,
        person=person,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=settings.LOTSEN_EMERGENCY_ACCESS_HOURS),
    )
    audit.record(actor=actor, action="emergency_access.granted", obj=access)
    return access
