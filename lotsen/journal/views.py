"""Journal and documents pages of a case (UI.md page 9 and 14).

Every page that shows the case gets it through `lotsen.cases.selectors.load_case` (access check and one
access-log row). The autosave endpoint shows no personal data (only "Utkast sparat kl. 14:32"), so it checks
access without writing an access-log row for every few seconds of typing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from lotsen.accounts.units import staff_user
from lotsen.audit.services import log_access
from lotsen.cases import selectors as case_selectors
from lotsen.cases.models import Case
from lotsen.cases.views import case_context
from lotsen.core.errors import DomainError, NotFoundError, PermissionDeniedError
from lotsen.journal import conf, selectors, services
from lotsen.journal.forms import DocumentForm, JournalEntryForm, JournalFilterForm
from lotsen.journal.models import EntryKind, EntryStatus, JournalEntry
from lotsen.policies.access import can_work_on_case, emergency_access_for

# The linked entries (R-JOUR-1, R-DOK-3): url name → kind.
LINK_KINDS = {
    "correction": EntryKind.CORRECTION,
    "addition": EntryKind.ADDITION,
    "dispute": EntryKind.DISPUTED_BY_SUBJECT,
}


def _forbid_unless_writer(request: HttpRequest, case: Case) -> None:
    if not can_work_on_case(request.user, case):
        raise PermissionDenied


def _add_domain_error(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M")


# --- journal page ---------------------------------------------------------------------------------------


def journal_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.load_case(request, case_id, purpose="Läsa journal", view="journal:list")
    today = timezone.localdate()
    filter_form = JournalFilterForm(request.GET or None, authors=selectors.authors(request.user, case))
    flt = selectors.JournalFilter()
    if filter_form.is_bound and filter_form.is_valid():
        data = filter_form.cleaned_data
        flt = selectors.JournalFilter(
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            author_id=data.get("author"),
            oldest_first=data.get("order") == "oldest",
        )
    page, entries = selectors.journal_page(request.user, case, flt, request.GET.get("sida"), today)
    params: dict[str, str] = {k: request.GET.get(k, "") for k in request.GET if k != "sida" and request.GET.get(k)}
    toggle = {k: v for k, v in params.items() if k != "order"}
    if not flt.oldest_first:
        toggle["order"] = "oldest"
    context = case_context(case, "journal") | {
        "filter_form": filter_form,
        "filter": flt,
        "page": page,
        "entries": entries,
        "query": urlencode(params),
        "order_toggle_query": urlencode(toggle),
        "can_write": can_work_on_case(request.user, case),
        "warning_days": conf.draft_warning_days(),
        "count_text": ngettext("%(n)s entry", "%(n)s entries", page.paginator.count) % {"n": page.paginator.count},
    }
    return render(request, "journal/list.html", context, status=422 if filter_form.errors else 200)


def _write_page(
    request: HttpRequest,
    case: Case,
    *,
    entry: JournalEntry | None = None,
    original: JournalEntry | None = None,
    linked_kind: str | None = None,
) -> HttpResponse:
    """The write form: a new entry, the author's own draft or a linked entry. "Spara utkast" and "Signera"
    post here (and work without JavaScript); the autosave module posts the same fields to `autosave`."""
    _forbid_unless_writer(request, case)
    today = timezone.localdate()
    if request.method == "POST":
        action = request.POST.get("action", "save")
        signing = action == "sign"
        form = JournalEntryForm(request.POST, linked_kind=linked_kind, signing=signing)
        if form.is_valid():
            key = form.cleaned_data["key"]
            if entry is not None and key != entry.key:
                raise Http404
            try:
                if signing:
                    result = services.entry_sign(
                        actor=staff_user(request),
                        case=case,
                        key=key,
                        content=form.content(),
                        corrects=original,
                    )
                else:
                    saved = services.draft_save(
                        actor=staff_user(request),
                        case=case,
                        key=key,
                        content=form.content(),
                        corrects=original,
                    )
            except (NotFoundError, PermissionDeniedError) as exc:
                if isinstance(exc, NotFoundError):
                    raise Http404 from exc
                raise PermissionDenied from exc
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                if signing:
                    text = _("The entry is signed.")
                    if result.late_days is not None:
                        text += " " + _(
                            "It was signed %(days)s days after the event. Document what happens as soon as "
                            "possible (27 § FL)."
                        ) % {"days": result.late_days}
                    messages.success(request, text)
                    return redirect("journal:list", case_id=case.pk)
                messages.success(request, _("Draft saved at %(time)s.") % {"time": _time(saved.updated_at)})
                return redirect("journal:edit", case_id=case.pk, entry_id=saved.pk)
    else:
        if entry is not None:
            initial: dict[str, Any] = {"key": entry.key, "kind": entry.kind, "event_on": entry.event_on,
                                       "text": entry.text}  # fmt: skip
        else:
            initial = {"key": uuid.uuid4(), "event_on": today, "kind": linked_kind or ""}
        form = JournalEntryForm(initial=initial, linked_kind=linked_kind)
    event_on = form.cleaned_data.get("event_on") if form.is_bound else form.initial.get("event_on")
    late = event_on is not None and (today - event_on).days > conf.late_sign_days()
    kind = linked_kind or ""
    context = case_context(case, "journal") | {
        "form": form,
        "entry": entry,
        "original": original,
        "linked_kind": kind,
        "heading": _heading(entry, kind),
        "late_event": late,
        "late_sign_days": conf.late_sign_days(),
        "autosave_url": reverse("journal:autosave", kwargs={"case_id": case.pk}),
        "original_url": reverse("journal:list", kwargs={"case_id": case.pk}),
    }
    return render(request, "journal/write.html", context, status=422 if form.errors else 200)


def _heading(entry: JournalEntry | None, kind: str) -> str:
    if kind == EntryKind.CORRECTION:
        return _("Write a correction")
    if kind == EntryKind.ADDITION:
        return _("Write an addition")
    if kind == EntryKind.DISPUTED_BY_SUBJECT:
        return _("Note that the person disputes the entry")
    if entry is not None:
        return _("Draft journal entry")
    return _("Write a journal entry")


@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.load_case(request, case_id, purpose="Skriva journalanteckning", view="journal:write")
    return _write_page(request, case)


def _own_draft(request: HttpRequest, case: Case, entry_id: int) -> JournalEntry:
    entry = selectors.entry_in_case(request.user, case, entry_id)
    if entry is None or entry.status != EntryStatus.DRAFT or entry.author_id != request.user.pk:
        raise Http404
    return entry


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, case_id: int, entry_id: int) -> HttpResponseBase:
    case = case_selectors.load_case(request, case_id, purpose="Skriva journalanteckning", view="journal:edit")
    entry = selectors.entry_in_case(request.user, case, entry_id)
    if entry is not None and entry.status == EntryStatus.SIGNED and request.method == "GET":
        # A signed entry is final: a bookmarked draft lands on the journal.
        return redirect("journal:list", case_id=case.pk)
    if entry is None or entry.author_id != request.user.pk:
        raise Http404
    # A post to an entry signed meanwhile (a double click on "Signera", another tab) reaches the services:
    # signing again answers "already signed", saving shows why the text cannot be saved and keeps it.
    return _write_page(request, case, entry=entry, original=entry.corrects_entry, linked_kind=_linked(entry))


def _linked(entry: JournalEntry) -> str | None:
    return entry.kind if entry.corrects_entry_id else None


@require_http_methods(["GET", "POST"])
def write_linked(request: HttpRequest, case_id: int, entry_id: int, link: str) -> HttpResponse:
    kind = LINK_KINDS[link]
    case = case_selectors.load_case(request, case_id, purpose="Skriva journalanteckning", view=f"journal:{link}")
    original = selectors.entry_in_case(request.user, case, entry_id)
    if original is None or original.status != EntryStatus.SIGNED:
        raise Http404
    if original.corrects_entry_id is not None:
        original = original.corrects_entry
    return _write_page(request, case, original=original, linked_kind=kind)


@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, case_id: int, entry_id: int) -> HttpResponse:
    case = case_selectors.load_case(request, case_id, purpose="Ta bort utkast", view="journal:discard")
    _forbid_unless_writer(request, case)
    entry = _own_draft(request, case, entry_id)
    if request.method == "POST":
        services.draft_discard(actor=request.user, entry=entry)  # type: ignore[arg-type]
        messages.success(request, _("The draft is deleted."))
        return redirect("journal:list", case_id=case.pk)
    return render(request, "journal/discard.html", case_context(case, "journal") | {"entry": entry})


@require_POST
def autosave(request: HttpRequest, case_id: int) -> HttpResponse:
    """UI.md 1.4: the write form's fields, posted by `autosave.mjs` 3 s after typing stops, on blur and on
    Ctrl+S. Answers the status line as a fragment (200 saved, 422 not saved). No access-log row: the answer
    holds no personal data; the access check is the same as for the page."""
    case = case_selectors.case_for(request.user, case_id)
    if case is None:
        raise Http404
    _forbid_unless_writer(request, case)
    form = JournalEntryForm(request.POST, linked_kind=request.POST.get("linked_kind") or None)
    problems: list[str] = []
    saved: JournalEntry | None = None
    if form.is_valid():
        original = None
        corrects = request.POST.get("corrects")
        if corrects:
            original = selectors.entry_in_case(request.user, case, int(corrects)) if corrects.isdigit() else None
            if original is None:
                raise Http404
        try:
            saved = services.draft_save(
                actor=staff_user(request),
                case=case,
                key=form.cleaned_data["key"],
                content=form.content(),
                corrects=original,
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except DomainError as exc:
            problems.append(exc.message)
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
    if not request.htmx:  # type: ignore[attr-defined]
        if saved is not None:
            return redirect("journal:edit", case_id=case.pk, entry_id=saved.pk)
        return redirect("journal:write", case_id=case.pk)
    context = {"saved": saved, "time": _time(saved.updated_at) if saved else "", "problems": problems}
    return render(request, "journal/write.html#autosave-status", context, status=200 if saved else 422)


# --- "Att signera" ---------------------------------------------------------------------------------------


def drafts(request: HttpRequest) -> HttpResponse:
    """The user's own unsigned drafts across cases, oldest first; drafts older than the setting flagged
    (R-JOUR-1). Shows the persons' names: one access-log row per person shown."""
    today = timezone.localdate()
    rows = list(selectors.own_drafts(request.user))  # type: ignore[arg-type]
    seen: set[int] = set()
    for entry in rows:
        person = entry.case.subject
        if person.pk not in seen:
            seen.add(person.pk)
            log_access(
                request=request,
                person=person,
                purpose="Visa mina utkast",
                view="journal:drafts",
                case_id=entry.case_id,
                emergency_access=emergency_access_for(request.user, person),
            )
    items = [{"entry": e, "old": e.draft_age_days(today) > conf.draft_warning_days()} for e in rows]
    context = {"items": items, "warning_days": conf.draft_warning_days(), "today": today}
    return render(request, "journal/drafts.html", context)


# --- documents ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.load_case(request, case_id, purpose="Visa dokument", view="journal:documents")
    can_write = can_work_on_case(request.user, case)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_add(
                    actor=staff_user(request),
                    case=case,
                    file=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    received_on=form.cleaned_data["received_on"],
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied from exc
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                messages.success(request, _("The document is uploaded."))
                return redirect("journal:documents", case_id=case.pk)
    else:
        form = DocumentForm(initial={"received_on": timezone.localdate()})
    context = case_context(case, "documents") | {
        "form": form,
        "documents": selectors.documents(case),
        "can_write": can_write,
    }
    return render(request, "journal/documents.html", context, status=422 if form.errors else 200)


def document_download(request: HttpRequest, case_id: int, document_id: int) -> FileResponse:
    """The file through a view that checks access and logs the read (never a public media URL)."""
    case = case_selectors.load_case(request, case_id, purpose="Läsa dokument", view="journal:document")
    document = selectors.documents(case).filter(pk=document_id).first()
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
