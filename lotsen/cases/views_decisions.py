"""Decision pages (UI.md 4: 11 Förbered beslut, 12 Att besluta, 13 Granska och fatta beslut → kvitto), the
decision letter (PDF), the delegationsordning (26) and the report of delegated decisions (25).

Every page that shows a person's data gets its case through `selectors.load_case` (access check + access
log) or, for the utskott's list kept by the board secretary (R-DEL-2), through `_load_decision`, which checks
and logs the same way. Writes go through `lotsen.cases.services`, `lotsen.cases.delegation_admin` and
`lotsen.board.services`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.accounts.models import Role
from lotsen.accounts.units import staff_user as _user
from lotsen.audit.models import AccessLogEntry, Channel
from lotsen.audit.services import client_ip, log_access, record_export
from lotsen.board import rules as board_rules
from lotsen.board import selectors as board
from lotsen.board import services as board_services
from lotsen.board.models import Meeting, MeetingBody
from lotsen.cases import delegation, delegation_admin, letters, process, selectors, services
from lotsen.cases.forms_decisions import (
    OUTCOMES_BY_TYPE,
    PREPARABLE_TYPES,
    ActivateForm,
    CommitteeRecordForm,
    DecisionPrepareForm,
    DecisionReturnForm,
    DecisionSignForm,
    DraftCreateForm,
    NotificationForm,
    ReportPeriodForm,
    RuleForm,
    outcome_label,
)
from lotsen.cases.models import (
    AppealRoute,
    Case,
    CaseEvent,
    Deadline,
    Decision,
    DecisionStatus,
    DecisionType,
    DelegationRule,
    DelegationScheme,
    ProcessCode,
)
from lotsen.cases.views import case_context
from lotsen.core.errors import DomainError
from lotsen.core.forms import GovukForm
from lotsen.policies.access import CASE_ROLES, ROLE_RANK, can_work_on_case, memberships_of, roles, visible_cases

if TYPE_CHECKING:
    from lotsen.people.models import Person

SIGN_SALT = "lotsen.decision-sign"
MAX_QUEUE_ROWS = 200


def _posted(request: HttpRequest) -> Any:
    """The submitted data, also when empty (an empty POST still binds the form and shows its errors)."""
    return request.POST if request.method == "POST" else None


def _add_domain_error(form: GovukForm, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def type_label(decision_type: str) -> str:
    return capfirst(str(dict(DecisionType.choices).get(decision_type, decision_type)))


def _role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


def delegate_label(rule: DelegationRule) -> str:
    """Who the delegationsordning gives the decision to: "arbetsledare", "individutskottet"."""
    if rule.committee_only:
        return str(MeetingBody.COMMITTEE.label).lower()
    return _role_label(rule.delegate_role)


def refusal_message(rule: DelegationRule | None) -> str:
    """R-DEL-1: the error when no valid rule covers the user, with the next step (UI.md 6.4)."""
    if rule is None:
        return _(
            "You cannot make this decision. The delegation scheme has no point for it. "
            "Contact the system administrator."
        )
    if rule.committee_only:
        return _(
            "You cannot make this decision. The delegation scheme gives it to the committee. "
            "Send it to the committee's agenda."
        )
    return _(
        "You cannot make this decision. The delegation scheme gives it to %(delegate)s (point %(point)s). "
        "Send it for decision."
    ) % {"delegate": delegate_label(rule), "point": rule.point}


def may_sign(user: Any, decision: Decision) -> bool:
    rule = decision.delegation_rule
    return rule is not None and delegation.may_sign(user, rule, decision.case.unit_id)


def _log_rows(
    request: HttpRequest, rows: list[tuple[Person, int]], *, view: str, purpose: str, channel: str = Channel.WEB
) -> None:
    """One access-log row per person shown in a list (R-SEK-4), written in one statement."""
    from lotsen.accounts.units import current_membership

    if not rows:
        return
    membership = current_membership(request)
    seen: set[tuple[int, int]] = set()
    entries = []
    for person, case_id in rows:
        if (person.pk, case_id) in seen:
            continue
        seen.add((person.pk, case_id))
        entries.append(
            AccessLogEntry(
                user=_user(request),
                person=person,
                case_id=case_id,
                unit_id=membership.unit_id if membership else None,
                view=view,
                purpose=purpose,
                channel=channel,
                ip=client_ip(request),
            )
        )
    AccessLogEntry.objects.bulk_create(entries)


# --- getting a decision ------------------------------------------------------------------------------------

_DECISION_RELATED = ("prepared_by", "delegate", "delegation_rule__scheme", "committee_record__meeting")


def _load_decision(request: HttpRequest, case_id: int, decision_id: int, *, purpose: str, view: str) -> Decision:
    """The decision of a visible case (through `load_case`), or, for the board secretary, a committee-only
    decision of any unit: the utskott's list is kept across units (R-DEL-2). Both log the read (R-SEK-4)."""
    user = _user(request)
    if selectors.case_for(user, case_id) is not None:
        case = selectors.load_case(request, case_id, purpose=purpose, view=view)
        decision = case.decisions.select_related(*_DECISION_RELATED).filter(pk=decision_id).first()
        if decision is None:
            raise Http404
        decision.case = case
        return decision
    if not board.may_keep_board_lists(user):
        raise Http404
    decision = (
        Decision.objects.select_related("case__subject", "case__unit", "case__assignee", *_DECISION_RELATED)
        .filter(pk=decision_id, case_id=case_id, delegation_rule__committee_only=True)
        .first()
    )
    if decision is None:
        raise Http404
    log_access(request=request, person=decision.case.subject, purpose=purpose, view=view, case_id=case_id)
    return decision


def _decision_url(name: str, decision: Decision) -> str:
    return reverse(f"cases:{name}", kwargs={"case_id": decision.case_id, "decision_id": decision.pk})


# --- page 11: Förbered beslut ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeOption:
    code: str
    label: str
    rule: DelegationRule | None


def _type_options(case: Case, today: date) -> list[TypeOption]:
    proc = process.get(case.process)
    return [
        TypeOption(t, type_label(t), delegation.rule_for(t, today))
        for t in proc.decision_types
        if t in PREPARABLE_TYPES
    ]


def _rule_context(rule: DelegationRule, on: date) -> dict[str, Any]:
    return {
        "rule": rule,
        "delegate_label": delegate_label(rule),
        "legal_basis": letters.legal_basis_on(rule.law_reference, on),
        "appeal": letters.appeal_instructions(rule.appeal_route),
        "appeal_route_label": dict(AppealRoute.choices)[rule.appeal_route],
    }


def decision_prepare(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = selectors.load_case(request, case_id, purpose="Förbered beslut", view="cases:decision_prepare")
    if not can_work_on_case(user, case):
        raise PermissionDenied
    today = timezone.localdate()
    options = _type_options(case, today)
    available = {o.code: o for o in options if o.rule is not None}
    chosen = request.POST.get("type") if request.method == "POST" else request.GET.get("typ")
    base = case_context(case, "decisions")
    if chosen not in available:
        error = None
        if chosen is not None or "steg" in request.GET:
            error = _("Choose the decision type")
        missing = [o for o in options if o.rule is None]
        context = base | {"options": options, "missing": missing, "error": error, "chosen": chosen}
        return render(request, "cases/decisions/prepare_type.html", context, status=422 if error else 200)

    option = available[cast(str, chosen)]
    rule = cast(DelegationRule, option.rule)
    form = DecisionPrepareForm(_posted(request), decision_type=option.code, child=case.process == ProcessCode.CHILD)
    can_sign = delegation.may_sign(user, rule, case.unit_id)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "submit")
        communicated, communication = form.communication()
        data = form.cleaned_data
        try:
            with transaction.atomic():
                decision = services.decision_prepare(
                    actor=user,
                    case=case,
                    type=option.code,
                    outcome=data["outcome"],
                    decision_text=data["decision_text"],
                    reasons=data["reasons"],
                    person_view=data["person_view"],
                    communicated=communicated,
                    payload={"communication": communication},
                )
                if action != "review" or not can_sign:
                    services.decision_submit(actor=user, decision=decision)
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            if action == "review" and can_sign:
                return redirect(_decision_url("decision_sign", decision))
            if rule.committee_only:
                messages.success(request, _("The decision was sent to the committee's list."))
            else:
                messages.success(
                    request,
                    _("The decision was sent for decision to %(delegate)s.") % {"delegate": delegate_label(rule)},
                )
            return redirect(_decision_url("decision_detail", decision))
    context = (
        base
        | _rule_context(rule, today)
        | {
            "form": form,
            "option": option,
            "can_sign": can_sign,
            "single_outcome": len(OUTCOMES_BY_TYPE[option.code]) == 1,
        }
    )
    return render(request, "cases/decisions/prepare.html", context, status=422 if form.errors else 200)


# --- decision page, submit, return, notification, letter --------------------------------------------------


def _summary(decision: Decision) -> dict[str, Any]:
    rule = decision.delegation_rule
    on = decision.decided_on or timezone.localdate()
    return {
        "type_label": type_label(decision.type),
        "outcome_label": outcome_label(decision.outcome),
        "legal_basis": letters.legal_basis_on(decision.legal_basis, on),
        "delegate_label": delegate_label(rule) if rule else "",
        "appeal_route_label": dict(AppealRoute.choices).get(decision.appeal_route, ""),
    }


def decision_detail(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    user = _user(request)
    decision = _load_decision(request, case_id, decision_id, purpose="Visa beslut", view="cases:decision_detail")
    case = decision.case
    notifications = []
    if decision.status == DecisionStatus.SIGNED:
        for n in decision.notifications.select_related("recorded_by"):
            due = board_rules.appeal_due_on(n.notified_on)
            notifications.append({"row": n, "appeal_due_on": due})
    context = (
        case_context(case, "decisions")
        | _summary(decision)
        | {
            "decision": decision,
            "can_work": can_work_on_case(user, case),
            "may_sign": may_sign(user, decision),
            "refusal": refusal_message(decision.delegation_rule),
            "notifications": notifications,
            "appealable": decision.appeal_route == AppealRoute.ADMINISTRATIVE_APPEAL,
            "report_meeting": board.meeting_for_report(decision.decided_on) if decision.decided_on else None,
        }
    )
    return render(request, "cases/decisions/detail.html", context)


@require_POST
def decision_submit(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    decision = _load_decision(request, case_id, decision_id, purpose="Skicka beslut", view="cases:decision_submit")
    try:
        services.decision_submit(actor=_user(request), decision=decision)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        rule = decision.delegation_rule
        if rule is not None and rule.committee_only:
            messages.success(request, _("The decision was sent to the committee's list."))
        elif rule is not None:
            messages.success(
                request, _("The decision was sent for decision to %(delegate)s.") % {"delegate": delegate_label(rule)}
            )
    return redirect(_decision_url("decision_detail", decision))


def decision_return(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    user = _user(request)
    decision = _load_decision(request, case_id, decision_id, purpose="Återsänd beslut", view="cases:decision_return")
    if decision.status != DecisionStatus.SUBMITTED or not may_sign(user, decision):
        raise PermissionDenied
    form = DecisionReturnForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_return(actor=user, decision=decision, comment=form.cleaned_data["comment"])
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("The decision was returned to %(name)s with your comment.")
                % {"name": decision.prepared_by.display_name},
            )
            return redirect("cases:to_decide")
    context = case_context(decision.case, "decisions") | _summary(decision) | {"decision": decision, "form": form}
    return render(request, "cases/decisions/return.html", context, status=422 if form.errors else 200)


def decision_notify(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    user = _user(request)
    decision = _load_decision(
        request, case_id, decision_id, purpose="Registrera underrättelse om beslut", view="cases:decision_notify"
    )
    if decision.status != DecisionStatus.SIGNED or not can_work_on_case(user, decision.case):
        raise PermissionDenied
    form = NotificationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notification = board_services.notification_record(
                actor=user, decision=decision, recipient=data["recipient"], notified_on=data["notified_on"],
                how=data["how"],
            )  # fmt: skip
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            if decision.appeal_route == AppealRoute.ADMINISTRATIVE_APPEAL:
                due = board_rules.appeal_due_on(notification.notified_on)
                messages.success(
                    request,
                    _("The notification was recorded. The last day to appeal is %(date)s.") % {"date": due.isoformat()},
                )
            else:
                messages.success(request, _("The notification was recorded."))
            return redirect(_decision_url("decision_detail", decision))
    context = case_context(decision.case, "decisions") | _summary(decision) | {"decision": decision, "form": form}
    return render(request, "cases/decisions/notify.html", context, status=422 if form.errors else 200)


def decision_letter(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    decision = _load_decision(request, case_id, decision_id, purpose="Skriv ut beslut", view="cases:decision_letter")
    if decision.status != DecisionStatus.SIGNED:
        raise Http404
    pdf = letters.decision_letter_pdf(decision)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beslut-{decision.number}.pdf"'
    return response


# --- page 13: Granska och fatta beslut → kvitto ------------------------------------------------------------


def _sign_key(decision: Decision) -> str:
    return signing.dumps({"decision": decision.pk}, salt=SIGN_SALT)


def _valid_sign_key(value: str, decision: Decision) -> bool:
    try:
        data = signing.loads(value, salt=SIGN_SALT, max_age=60 * 60 * 12)
    except signing.BadSignature:
        return False
    return bool(data.get("decision") == decision.pk)


def _committee_meeting_choices(today: date) -> tuple[list[Meeting], list[tuple[int, str]]]:
    meetings = board.committee_meetings_to_record(today)
    return meetings, [(m.pk, m.held_on.isoformat()) for m in meetings]


def decision_sign(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    user = _user(request)
    decision = _load_decision(
        request, case_id, decision_id, purpose="Granska och fatta beslut", view="cases:decision_sign"
    )
    if decision.status == DecisionStatus.SIGNED:
        if request.method == "POST" and decision.delegate_id != user.pk:
            messages.error(request, _("The decision has already been made."))
            return redirect(_decision_url("decision_detail", decision))
        if request.method == "POST" and not _valid_sign_key(request.POST.get("idempotency_key", ""), decision):
            messages.error(request, _("The decision has already been made."))
            return redirect(_decision_url("decision_detail", decision))
        return redirect(_decision_url("decision_receipt", decision))
    rule = decision.delegation_rule
    allowed = may_sign(user, decision)
    committee = bool(rule and rule.committee_only)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" and allowed else None
    form: GovukForm
    if committee and allowed:
        meetings, choices = _committee_meeting_choices(today)
        form = CommitteeRecordForm(data, meetings=choices, point=rule.point if rule else "")
    else:
        meetings = []
        form = DecisionSignForm(data, point=rule.point if rule else "")
    refused = request.method == "POST" and not allowed
    if request.method == "POST" and allowed and form.is_valid():
        try:
            if committee:
                meeting = next(m for m in meetings if m.pk == form.cleaned_data["meeting"])
                board_services.committee_decision_record(
                    actor=user, decision=decision, meeting=meeting,
                    section_number=form.cleaned_data["section_number"],
                )  # fmt: skip
            else:
                services.decision_sign(actor=user, decision=decision)
        except DomainError as exc:
            decision.refresh_from_db()
            if decision.status == DecisionStatus.SIGNED and decision.delegate_id == user.pk:
                return redirect(_decision_url("decision_receipt", decision))
            _add_domain_error(form, exc)
        else:
            return redirect(_decision_url("decision_receipt", decision))
    context = (
        case_context(decision.case, "decisions")
        | _summary(decision)
        | {
            "decision": decision,
            "form": form,
            "allowed": allowed,
            "committee": committee,
            "refusal": refusal_message(rule),
            "refused": refused,
            "sign_key": _sign_key(decision),
            "can_work": can_work_on_case(user, decision.case),
            "next_committee_meeting": board.next_committee_meeting(today) if committee else None,
        }
    )
    return render(request, "cases/decisions/sign.html", context, status=422 if form.errors or refused else 200)


def decision_receipt(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    decision = _load_decision(
        request, case_id, decision_id, purpose="Visa fattat beslut", view="cases:decision_receipt"
    )
    if decision.status != DecisionStatus.SIGNED or decision.decided_on is None:
        return redirect(_decision_url("decision_detail", decision))
    today = timezone.localdate()
    context = (
        case_context(decision.case, "decisions")
        | _summary(decision)
        | {
            "decision": decision,
            "appealable": decision.appeal_route == AppealRoute.ADMINISTRATIVE_APPEAL,
            "legality_review": decision.appeal_route == AppealRoute.LEGALITY_REVIEW,
            "appeal_due_if_today": board_rules.appeal_due_on(today),
            "report_meeting": board.meeting_for_report(decision.decided_on),
            "can_work": can_work_on_case(_user(request), decision.case),
        }
    )
    return render(request, "cases/decisions/receipt.html", context)


# --- page 12: Att besluta ---------------------------------------------------------------------------------


def _sent_on() -> Subquery:
    return Subquery(
        CaseEvent.objects.filter(case_id=OuterRef("case_id"), type="decision_submitted")
        .annotate(decision_ref=KeyTextTransform("decision_id", "payload"))
        .filter(decision_ref=Cast(OuterRef("pk"), output_field=CharField()))
        .order_by("-id")
        .values("occurred_on")[:1]
    )


def _next_due_on() -> Subquery:
    return Subquery(
        Deadline.objects.filter(case_id=OuterRef("case_id"), status="pending").order_by("due_on").values("due_on")[:1]
    )


def decisions_to_decide(user: Any) -> QuerySet[Decision]:
    """Submitted decisions the user may sign (R-DEL-1): in cases they see, under a rule whose delegate level
    the user's role in the case's unit reaches (`delegation.may_sign`, as a query)."""
    ranks: dict[int, int] = {}
    head_rank = 0
    for m in memberships_of(user):
        rank = ROLE_RANK.get(m.role, 0)
        if m.role == Role.HEAD_OF_SOCIAL_SERVICES:
            head_rank = max(head_rank, rank)
        elif rank:
            ranks[m.unit_id] = max(ranks.get(m.unit_id, 0), rank)

    def roles_up_to(rank: int) -> list[str]:
        return [r for r, n in ROLE_RANK.items() if n <= rank]

    signable = Q(pk__in=[])
    if head_rank:
        signable |= Q(delegation_rule__delegate_role__in=roles_up_to(head_rank))
    for unit_id, rank in ranks.items():
        signable |= Q(case__unit_id=unit_id, delegation_rule__delegate_role__in=roles_up_to(max(rank, head_rank)))
    return (
        Decision.objects.filter(
            status=DecisionStatus.SUBMITTED,
            delegation_rule__committee_only=False,
            case__in=visible_cases(user),
        )
        .filter(signable)
        .select_related("case__subject", "case__unit", "prepared_by", "delegation_rule")
        .annotate(sent_on=_sent_on(), next_due_on=_next_due_on())
        .order_by("sent_on", "pk")
    )


def committee_queue() -> QuerySet[Decision]:
    """R-DEL-2: committee-only decisions are not routed to a person but to the utskott's list."""
    return (
        Decision.objects.filter(status=DecisionStatus.SUBMITTED, delegation_rule__committee_only=True)
        .select_related("case__subject", "case__unit", "prepared_by", "delegation_rule")
        .annotate(sent_on=_sent_on(), next_due_on=_next_due_on())
        .order_by("sent_on", "pk")
    )


@dataclass(frozen=True)
class QueueRow:
    decision: Decision
    type_label: str
    days_left: int | None


def to_decide(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    user_roles = roles(user)
    deciding = bool(user_roles & (CASE_ROLES | {Role.HEAD_OF_SOCIAL_SERVICES}))
    secretary = board.may_keep_board_lists(user)
    if not deciding and not secretary:
        raise PermissionDenied
    today = timezone.localdate()
    waiting = list(decisions_to_decide(user)[:MAX_QUEUE_ROWS]) if deciding else []
    committee = list(committee_queue()[:MAX_QUEUE_ROWS]) if secretary else []
    _log_rows(
        request,
        [(d.case.subject, d.case_id) for d in waiting + committee],
        view="cases:to_decide",
        purpose="Lista beslut att fatta",
    )

    def rows(decisions: list[Decision]) -> list[QueueRow]:
        result = []
        for d in decisions:
            due: date | None = getattr(d, "next_due_on", None)
            result.append(QueueRow(d, type_label(d.type), (due - today).days if due else None))
        return result

    context = {
        "deciding": deciding,
        "secretary": secretary,
        "waiting": rows(waiting),
        "committee": rows(committee),
        "max_rows": MAX_QUEUE_ROWS,
        "next_committee_meeting": board.next_committee_meeting(today) if secretary else None,
        "today": today,
    }
    return render(request, "cases/decisions/to_decide.html", context)


# --- page 26: Delegationsordning --------------------------------------------------------------------------


def _require_read_scheme(request: HttpRequest) -> None:
    if not delegation_admin.may_read(request.user):
        raise PermissionDenied


def _require_admin(request: HttpRequest) -> None:
    if not delegation_admin.may_administer(request.user):
        raise PermissionDenied


def delegation_schemes(request: HttpRequest) -> HttpResponse:
    _require_read_scheme(request)
    schemes = [(s, delegation_admin.status_of(s)) for s in DelegationScheme.objects.order_by("-valid_from", "-pk")]
    draft = next((s for s, status in schemes if status == delegation_admin.SchemeStatus.DRAFT), None)
    active = next((s for s, _status in schemes if s.is_active), None)
    context = {
        "schemes": schemes,
        "draft": draft,
        "active": active,
        "can_admin": delegation_admin.may_administer(request.user),
    }
    return render(request, "cases/decisions/schemes.html", context)


def delegation_draft_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    active = DelegationScheme.objects.filter(is_active=True).first()
    if active is None:
        raise Http404
    form = DraftCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            scheme = delegation_admin.draft_create(
                actor=_user(request),
                source=active,
                version=form.cleaned_data["version"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("A draft was created as a copy of version %(v)s.") % {"v": active.version})
            return redirect("cases:delegation_scheme", scheme_id=scheme.pk)
    context = {"form": form, "active": active}
    return render(request, "cases/decisions/scheme_new.html", context, status=422 if form.errors else 200)


@dataclass(frozen=True)
class RuleRow:
    rule: DelegationRule
    type_label: str
    delegate_text: str
    appeal_text: str


def _scheme_context(request: HttpRequest, scheme: DelegationScheme, **extra: Any) -> dict[str, Any]:
    status = delegation_admin.status_of(scheme)
    appeal_labels = dict(AppealRoute.choices)
    rules = [
        RuleRow(
            r, type_label(r.decision_type), capfirst(delegate_label(r)), capfirst(str(appeal_labels[r.appeal_route]))
        )
        for r in scheme.rules.all()
    ]
    active = DelegationScheme.objects.filter(is_active=True).first()
    changes = []
    if status == delegation_admin.SchemeStatus.DRAFT and active is not None:
        for c in delegation_admin.diff(active, scheme):
            changes.append({"change": c, "type_label": type_label(c.decision_type)})
    can_admin = delegation_admin.may_administer(request.user)
    draft = status == delegation_admin.SchemeStatus.DRAFT
    return {
        "scheme": scheme,
        "status": status,
        "rules": rules,
        "active": active,
        "changes": changes,
        "can_edit": can_admin and draft,
        "problems": delegation_admin.activation_problems(scheme) if draft else [],
        "activate_form": ActivateForm(),
        **extra,
    }


def delegation_scheme(request: HttpRequest, scheme_id: int) -> HttpResponse:
    _require_read_scheme(request)
    scheme = get_object_or_404(DelegationScheme, pk=scheme_id)
    return render(request, "cases/decisions/scheme.html", _scheme_context(request, scheme))


@require_POST
def delegation_activate(request: HttpRequest, scheme_id: int) -> HttpResponse:
    _require_admin(request)
    scheme = get_object_or_404(DelegationScheme, pk=scheme_id)
    form = ActivateForm(request.POST)
    if form.is_valid():
        try:
            delegation_admin.scheme_activate(
                actor=_user(request),
                scheme=scheme,
                board_decided_on=form.cleaned_data["board_decided_on"],
                board_section=form.cleaned_data["board_section"],
            )
        except DomainError as exc:
            if exc.field in form.fields:
                _add_domain_error(form, exc)
            else:
                for problem in delegation_admin.activation_problems(scheme) or [exc.message]:
                    form.add_error(None, problem)
        else:
            messages.success(request, _("Version %(v)s is now the active delegation scheme.") % {"v": scheme.version})
            return redirect("cases:delegation_scheme", scheme_id=scheme.pk)
    context = _scheme_context(request, scheme, activate_form=form, form=form)
    return render(request, "cases/decisions/scheme.html", context, status=422)


def _rule_initial(rule: DelegationRule) -> dict[str, Any]:
    return {
        "point": rule.point,
        "decision_type": rule.decision_type,
        "law_reference": rule.law_reference,
        "delegate": "committee" if rule.committee_only else rule.delegate_role,
        "limits": rule.limits,
        "appeal_route": rule.appeal_route,
    }


def delegation_rule_edit(request: HttpRequest, scheme_id: int, rule_id: int | None = None) -> HttpResponse:
    _require_admin(request)
    scheme = get_object_or_404(DelegationScheme, pk=scheme_id)
    if delegation_admin.status_of(scheme) != delegation_admin.SchemeStatus.DRAFT:
        raise PermissionDenied
    rule = get_object_or_404(DelegationRule, pk=rule_id, scheme=scheme) if rule_id is not None else None
    form = RuleForm(_posted(request), initial=_rule_initial(rule) if rule else None)
    if request.method == "POST" and form.is_valid():
        try:
            if rule is None:
                saved = delegation_admin.rule_add(actor=_user(request), scheme=scheme, data=form.cleaned_data)
            else:
                saved = delegation_admin.rule_update(actor=_user(request), rule=rule, data=form.cleaned_data)
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Point %(point)s was saved.") % {"point": saved.point})
            return redirect("cases:delegation_scheme", scheme_id=scheme.pk)
    context = {"scheme": scheme, "rule": rule, "form": form}
    return render(request, "cases/decisions/rule_form.html", context, status=422 if form.errors else 200)


@require_POST
def delegation_rule_delete(request: HttpRequest, scheme_id: int, rule_id: int) -> HttpResponse:
    _require_admin(request)
    rule = get_object_or_404(DelegationRule, pk=rule_id, scheme_id=scheme_id)
    try:
        delegation_admin.rule_delete(actor=_user(request), rule=rule)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Point %(point)s was removed from the draft.") % {"point": rule.point})
    return redirect("cases:delegation_scheme", scheme_id=scheme_id)


# --- page 25: Anmälan av delegationsbeslut ----------------------------------------------------------------


@dataclass
class ReportSelection:
    meeting: Meeting | None
    start: date
    end: date
    form: ReportPeriodForm


def _report_selection(request: HttpRequest) -> ReportSelection:
    today = timezone.localdate()
    custom = any(k.startswith(("start_", "end_")) for k in request.GET)
    form = ReportPeriodForm(request.GET if custom else None)
    if custom and form.is_valid():
        return ReportSelection(None, form.cleaned_data["start"], form.cleaned_data["end"], form)
    meeting: Meeting | None = None
    meeting_id = request.GET.get("sammantrade", "")
    if meeting_id.isdigit():
        meeting = board.board_meetings().filter(pk=int(meeting_id)).first()
        if meeting is None:
            raise Http404
    elif not custom:
        meeting = board.board_meetings().filter(held_on__gte=today).order_by("held_on").first()
        if meeting is None:
            meeting = board.board_meetings().order_by("-held_on").first()
    if meeting is not None:
        start, end = board.period_of(meeting)
        return ReportSelection(meeting, start, end, form)
    first = today.replace(day=1)
    return ReportSelection(None, first, today, form)


@dataclass(frozen=True)
class ReportRow:
    decision: Decision
    type_label: str
    outcome_text: str
    delegate_text: str


def _report_context(request: HttpRequest, selection: ReportSelection) -> dict[str, Any]:
    committee_label = str(MeetingBody.COMMITTEE.label)
    decisions = [
        ReportRow(
            d,
            type_label(d.type),
            outcome_label(d.outcome),
            committee_label
            if d.delegation_rule is not None and d.delegation_rule.committee_only
            else (d.delegate.display_name if d.delegate else ""),
        )
        for d in board.signed_decisions_between(selection.start, selection.end)
    ]
    summary = board.report_summary(selection.start, selection.end)
    return {
        "selection": selection,
        "meeting": selection.meeting,
        "report": board.report_of(selection.meeting) if selection.meeting else None,
        "summary": summary,
        "total": sum(r.count for r in summary),
        "decisions": decisions,
        "municipality": settings.LOTSEN_MUNICIPALITY_NAME,
    }


def _report_query(selection: ReportSelection) -> str:
    from urllib.parse import urlencode

    if selection.meeting is not None:
        return urlencode({"sammantrade": selection.meeting.pk})
    s, e = selection.start, selection.end
    return urlencode({"start_year": s.year, "start_month": s.month, "start_day": s.day,
                      "end_year": e.year, "end_month": e.month, "end_day": e.day})  # fmt: skip


def delegation_report(request: HttpRequest) -> HttpResponse:
    if not board.may_read_delegation_decisions(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    selection = _report_selection(request)
    context = _report_context(request, selection)
    _log_rows(
        request,
        [(r.decision.case.subject, r.decision.case_id) for r in context["decisions"]],
        view="cases:delegation_report",
        purpose="Anmälan av delegationsbeslut",
    )
    without_meeting, after = board.decisions_without_meeting()
    context |= {
        "form": selection.form,
        "meetings": list(board.board_meetings().order_by("-held_on")[:24]),
        "unreported": board.unreported_meetings(today),
        "without_meeting": without_meeting,
        "without_meeting_after": after,
        "query": _report_query(selection),
        "can_report": board.may_keep_board_lists(request.user),
        "today": today,
    }
    status = 422 if selection.form.errors else 200
    return render(request, "cases/decisions/delegation_report.html", context, status=status)


def delegation_report_pdf(request: HttpRequest) -> HttpResponse:
    if not board.may_read_delegation_decisions(request.user):
        raise PermissionDenied
    selection = _report_selection(request)
    if selection.form.errors:
        return redirect(f"{reverse('cases:delegation_report')}?{request.GET.urlencode()}")
    context = _report_context(request, selection)
    _log_rows(
        request,
        [(r.decision.case.subject, r.decision.case_id) for r in context["decisions"]],
        view="cases:delegation_report_pdf",
        purpose="Anmälan av delegationsbeslut (PDF)",
        channel=Channel.EXPORT,
    )
    record_export(
        actor=_user(request),
        what="delegation_report",
        filters={"meeting": selection.meeting.pk if selection.meeting else None,
                 "start": selection.start.isoformat(), "end": selection.end.isoformat()},
        rows=len(context["decisions"]),
    )  # fmt: skip
    pdf = letters.html_to_pdf(letters.delegation_report_html(context))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"delegationsbeslut-{selection.start.isoformat()}-{selection.end.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def delegation_report_mark(request: HttpRequest, meeting_id: int) -> HttpResponse:
    if not board.may_keep_board_lists(request.user):
        raise PermissionDenied
    meeting = get_object_or_404(board.board_meetings(), pk=meeting_id)
    try:
        report = board_services.delegation_report_record(actor=_user(request), meeting=meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The delegated decisions were reported at the meeting on %(date)s (%(n)s decisions).")
            % {"date": meeting.held_on.isoformat(), "n": report.decision_count},
        )
    return redirect(f"{reverse('cases:delegation_report')}?sammantrade={meeting.pk}")
