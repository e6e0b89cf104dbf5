"""The investigation rows follow the case's events: `investigation_opened` creates an `Investigation`,
`investigation_decided` and `case_closed` close the open one. So an investigation opened or completed
through any service (a pre-assessment decision here, a concluding decision in `lotsen.cases`) is kept in
step, inside the same transaction as the event."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from lotsen.cases.deadlines import EventType
from lotsen.cases.models import CaseEvent
from lotsen.cases.services import EventType as CaseEventType


@receiver(post_save, sender=CaseEvent, dispatch_uid="children_investigation_projection")
def investigation_projection(sender: type[CaseEvent], instance: CaseEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    if instance.type not in (
        EventType.INVESTIGATION_OPENED,
        EventType.INVESTIGATION_DECIDED,
        CaseEventType.CASE_CLOSED,
    ):
        return
    from lotsen.children import services
    from lotsen.children.models import Investigation

    case = instance.case
    current = Investigation.objects.filter(case=case, closed_on__isnull=True).first()
    if instance.type == EventType.INVESTIGATION_OPENED:
        if current is None:
            services.investigation_create(
                actor=instance.actor, case=case, opened_on=instance.occurred_on, event_id=instance.pk
            )
    elif current is not None:
        reason = (
            "decided"
            if instance.type == EventType.INVESTIGATION_DECIDED
            else (str(instance.payload.get("reason") or "case_closed"))
        )
        services.investigation_close(
            actor=instance.actor, investigation=current, closed_on=instance.occurred_on, reason=reason
        )
