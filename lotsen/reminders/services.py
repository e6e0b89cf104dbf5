"""Writes of reminders: creating them from the deadline projection (the background task) and marking them
read. Reminders are notifications derived from deadlines, not records of the case, so they leave no audit
row; the case's own history is its events."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotsen.accounts.models import Membership, Role
from lotsen.cases.labels import DEADLINE_LABELS
from lotsen.cases.models import CaseStatus, Deadline, DeadlineStatus
from lotsen.cases.selectors_work import protection_alert_hours, protection_alerts, warning_days
from lotsen.core.errors import PermissionDeniedError
from lotsen.core.templatetags.lotsen import iso_datetime, weekday_short
from lotsen.reminders import rules
from lotsen.reminders.models import Reminder, ReminderKind

Key = tuple[int, int, str, str, int, date]


def reference_time(today: date, now: datetime | None = None) -> datetime:
    """The moment the protection-assessment alert is measured at: now when `today` is the current date,
    otherwise the end of `today` (a run for another day, R-SKYDD-1 "and at the end of the day")."""
    current = now or timezone.now()
    if timezone.localdate(current) == today:
        return current
    return timezone.make_aware(datetime.combine(today, time(23, 59, 59)))


def _day(d: date) -> str:
    return f"{weekday_short(d)} {d.isoformat()}"


def _left(days: int) -> str:
    if days >= 14 and days % 7 == 0:
        return ngettext("%(n)s week", "%(n)s weeks", days // 7) % {"n": days // 7}
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def deadline_message(stage: rules.Stage, deadline: Deadline, today: date) -> str:
    label = str(DEADLINE_LABELS.get(deadline.kind, deadline.kind))
    due = _day(deadline.due_on)
    if stage.kind == rules.OVERDUE:
        return _("%(label)s: the deadline passed on %(due)s.") % {"label": label, "due": due}
    if stage.kind == rules.LAST_DAY:
        if deadline.plan_by and deadline.plan_by < deadline.due_on:
            return _(
                "%(label)s: the deadline is %(due)s, which is not a working day. Plan for %(plan_by)s at the latest."
            ) % {"label": label, "due": due, "plan_by": _day(deadline.plan_by)}
        return _("%(label)s: the last day of the deadline is %(due)s.") % {"label": label, "due": due}
    left = _left((deadline.due_on - today).days)
    return _("%(label)s: %(left)s left until the deadline %(due)s.") % {"label": label, "left": left, "due": due}


def protection_message(received_at: datetime, hours: int) -> str:
    return ngettext(
        "No signed immediate protection assessment more than %(hours)s hour after the report came in "
        "(received %(received)s).",
        "No signed immediate protection assessment more than %(hours)s hours after the report came in "
        "(received %(received)s).",
        hours,
    ) % {"hours": hours, "received": iso_datetime(received_at)}


def unit_leads(unit_ids: set[int], today: date) -> dict[int, list[int]]:
    """Team leads per unit; where a unit has none, its unit managers (R-SKYDD-1: the team lead is alerted)."""
    by_role: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for unit_id, user_id, role in (
        Membership.objects.active(today)
        .filter(unit_id__in=unit_ids, role__in=[Role.TEAM_LEAD, Role.UNIT_MANAGER], user__is_active=True)
        .order_by("user_id")
        .values_list("unit_id", "user_id", "role")
    ):
        if user_id not in by_role[unit_id][role]:
            by_role[unit_id][role].append(user_id)
    return {u: roles.get(Role.TEAM_LEAD) or roles.get(Role.UNIT_MANAGER) or [] for u, roles in by_role.items()}


def _unique(ids: list[int | None]) -> list[int]:
    seen: list[int] = []
    for i in ids:
        if i is not None and i not in seen:
            seen.append(i)
    return seen


@transaction.atomic
def create_deadline_reminders(*, today: date, now: datetime | None = None) -> int:
    """Create the reminders due on `today`; returns how many are new. Idempotent: a rerun creates none.

    - Each running deadline of an open case at its latest stage reached (`rules.stage_for`) → the assignee, or
      the unit's team leads when the case is unassigned; an overdue deadline also → the team leads.
    - R-SKYDD-1: a report without a signed protection assessment N hours after it came in → the unit's team
      leads and the assignee.
    """
    warnings = warning_days()
    horizon = max((d for days in warnings.values() for d in days), default=0)
    open_deadlines = Deadline.objects.filter(case__status=CaseStatus.OPEN)
    running = list(
        open_deadlines.filter(status=DeadlineStatus.PENDING, due_on__lte=today + timedelta(days=horizon))
        .exclude(kind="protection_assessment")
        .select_related("case")
        .order_by("due_on", "pk")
    )
    alerts = protection_alerts(open_deadlines, reference_time(today, now), protection_alert_hours())
    leads = unit_leads({d.case.unit_id for d in running} | {a.case.unit_id for a in alerts}, today)

    candidates: dict[Key, Reminder] = {}

    def add(user_ids: list[int], **fields: Any) -> None:
        for user_id in user_ids:
            r = Reminder(user_id=user_id, **fields)
            candidates.setdefault((user_id, r.case_id, r.deadline_kind, r.kind, r.stage_days, r.due_on), r)

    with translation.override("sv"):
        for d in running:
            stage = rules.stage_for(
                due_on=d.due_on, plan_by=d.plan_by, today=today, warning_days=warnings.get(d.kind, ())
            )
            if stage is None:
                continue
            unit_lead_ids = leads.get(d.case.unit_id, [])
            recipients: list[int | None] = [d.case.assignee_id] if d.case.assignee_id else list(unit_lead_ids)
            if stage.kind == rules.OVERDUE:
                recipients += unit_lead_ids
            add(
                _unique(recipients),
                case_id=d.case_id,
                kind=stage.kind,
                deadline_kind=d.kind,
                stage_days=stage.days,
                message=deadline_message(stage, d, today),
                due_on=d.due_on,
            )
        hours = protection_alert_hours()
        for alert in alerts:
            add(
                _unique([*leads.get(alert.case.unit_id, []), alert.case.assignee_id]),
                case_id=alert.case.pk,
                kind=ReminderKind.PROTECTION_MISSING,
                deadline_kind="protection_assessment",
                stage_days=0,
                message=protection_message(alert.received_at, hours),
                due_on=alert.deadline.due_on,
            )
    if not candidates:
        return 0
    existing = set(
        Reminder.objects.filter(
            case_id__in={k[1] for k in candidates}, due_on__in={k[5] for k in candidates}
        ).values_list("user_id", "case_id", "deadline_kind", "kind", "stage_days", "due_on")
    )
    new = [r for key, r in candidates.items() if key not in existing]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent run may have created some
    return len(new)


@transaction.atomic
def reminder_mark_read(*, actor: Any, reminder: Reminder) -> Reminder:
    if reminder.user_id != actor.pk:
        raise PermissionDeniedError("Du kan bara markera dina egna påminnelser.")
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
    return reminder


@transaction.atomic
def reminders_mark_all_read(*, actor: Any) -> int:
    return Reminder.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
