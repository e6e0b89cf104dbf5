"""Sammanträden (the board secretary's list of meetings): the nämnd's meetings carry the list of delegated
decisions (R-DEL-3), the utskott's meetings the committee-only decisions (R-DEL-2)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsen.accounts.models import User
from lotsen.board import selectors, services
from lotsen.board.models import Meeting
from lotsen.cases.forms_decisions import MeetingForm
from lotsen.core.errors import DomainError

UPCOMING = 12
RECENT = 12


def _posted(request: HttpRequest) -> Any:
    """The submitted data, also when empty (an empty POST still binds the form and shows its errors)."""
    return request.POST if request.method == "POST" else None


def meetings(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    secretary = selectors.may_keep_board_lists(user)
    if not secretary and not selectors.may_read_delegation_decisions(user):
        raise PermissionDenied
    form = MeetingForm(_posted(request))
    if request.method == "POST":
        if not secretary:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=user, body=data["body"], held_on=data["held_on"], list_closes_on=data["list_closes_on"]
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("The meeting on %(date)s was added.") % {"date": meeting.held_on.isoformat()},
                )
                return redirect("board:meetings")
    today = timezone.localdate()
    base = Meeting.objects.select_related("delegation_report")
    context = {
        "form": form,
        "secretary": secretary,
        "upcoming": list(base.filter(held_on__gte=today).order_by("held_on")[:UPCOMING]),
        "recent": list(base.filter(held_on__lt=today).order_by("-held_on")[:RECENT]),
        "today": today,
    }
    return render(request, "board/meetings.html", context, status=422 if form.errors else 200)
