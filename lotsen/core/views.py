"""Start page per role and unit, static pages and error pages (never with personal data)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from lotsen.accounts.models import Role
from lotsen.accounts.units import current_membership
from lotsen.people.forms import PersonSearchForm
from lotsen.policies.access import Action, can, log_review_units, roles


def start(request: HttpRequest) -> HttpResponse:
    user_roles = roles(request.user)
    context: dict[str, object] = {
        "membership": current_membership(request),
        "roles": user_roles,
        "today": timezone.localdate(),
        "can_search": can(request.user, Action.SEARCH_PERSONS),
        "can_review_log": can(request.user, Action.REVIEW_ACCESS_LOG_OWN_UNITS),
        "search_form": PersonSearchForm(),
        "later_roles": user_roles & {Role.BOARD_SECRETARY, Role.FINANCE_OFFICER, Role.PROVIDER_STAFF},
    }
    if context["can_review_log"]:
        from lotsen.audit.selectors import emergency_accesses

        scope = log_review_units(request.user)
        context["unreviewed_emergency"] = emergency_accesses(request.user).filter(reviewed_at__isnull=True).count()
        context["log_scope_all"] = scope is None
    return render(request, "core/start.html", context)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
