"""The user's reminders ("Påminnelser") with "Markera som läst". Reminders show case numbers, never names."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotsen.reminders import selectors, services

PAGE_SIZE = 50


def reminder_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.reminders_for(request.user), PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {"page": page, "reminders": list(page.object_list), "unread": selectors.unread_count(request.user)}
    return render(request, "reminders/list.html", context)


@require_POST
def mark_read(request: HttpRequest, reminder_id: int) -> HttpResponse:
    reminder = selectors.reminder_for(request.user, reminder_id)
    if reminder is None:
        raise Http404
    services.reminder_mark_read(actor=cast(Any, request.user), reminder=reminder)
    messages.success(
        request, _("The reminder for case %(number)s is marked as read.") % {"number": reminder.case.number}
    )
    return redirect("reminders:list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.reminders_mark_all_read(actor=cast(Any, request.user))
    messages.success(
        request,
        ngettext("%(count)s reminder is marked as read.", "%(count)s reminders are marked as read.", count)
        % {"count": count},
    )
    return redirect("reminders:list")
