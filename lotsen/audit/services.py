"""Writing the audit trail and the access log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import models, transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest

from lotsen.audit.models import AccessLogEntry, AccessLogReview, AuditEvent, Channel
from lotsen.core.middleware import current_request_id

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.people.models import Person
    from lotsen.policies.models import EmergencyAccess


def snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    """A JSON-safe dict of a model's fields, for before/after in the audit trail."""
    if obj is None:
        return None
    data = model_to_dict(obj)
    data["id"] = obj.pk
    return {k: (v if isinstance(v, str | int | float | bool | type(None) | list) else str(v)) for k, v in data.items()}


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row. Call inside the service's transaction, after the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the writing transaction")
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after if after is not None else snapshot(obj),
        request_id=current_request_id(),
    )


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _reader_unit_id(request: HttpRequest) -> int | None:
    """The unit the reader works in (the unit switcher's choice): the log is reviewed per unit."""
    from lotsen.accounts.units import current_membership

    membership = current_membership(request)
    return membership.unit_id if membership else None


def log_access(
    *,
    request: HttpRequest,
    person: Person,
    purpose: str,
    view: str,
    case_id: int | None = None,
    channel: str = Channel.WEB,
    emergency_access: EmergencyAccess | None = None,
) -> AccessLogEntry:
    """One append-only row per response that shows a person's data (R-SEK-4)."""
    unit_id = _reader_unit_id(request)
    return AccessLogEntry.objects.create(
        user=cast("User", request.user),
        person=person,
        case_id=case_id,
        unit_id=unit_id,
        view=view,
        purpose=purpose,
        channel=channel,
        ip=client_ip(request),
        emergency_access=emergency_access,
    )


@transaction.atomic
def review_mark(*, actor: User, entry: AccessLogEntry, comment: str) -> AccessLogReview:
    review = AccessLogReview.objects.create(entry=entry, reviewer=actor, comment=comment)
    record(actor=actor, action="access_log.reviewed", obj=review)
    return review


def log_search_hits(*, request: HttpRequest, persons: list[Person]) -> None:
    """A result list shows names and numbers: one row per person shown (R-SEK-4)."""
    if not persons:
        return
    unit_id = _reader_unit_id(request)
    ip = client_ip(request)
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user=cast("User", request.user),
                person=p,
                unit_id=unit_id,
                view="people:search",
                purpose="Sökträff",
                ip=ip,
            )
            for p in persons
        ]
    )


@transaction.atomic
def record_export(*, actor: User, what: str, filters: dict[str, Any], rows: int) -> AuditEvent:
    """An export of logged or personal data is itself audited (R-SEK-4)."""
    return AuditEvent.objects.create(
        actor=actor,
        action=f"{what}.exported",
        object_type=what,
        object_id="export",
        after={"filter": filters, "rows": rows, "channel": Channel.EXPORT},
        request_id=current_request_id(),
    )
