"""Users, roles and unit memberships. A user may have a role in several units."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotsen.core.models import Unit


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("caseworker")
    TEAM_LEAD = "team_lead", _("team lead")
    UNIT_MANAGER = "unit_manager", _("unit manager")
    HEAD_OF_SOCIAL_SERVICES = "head_of_social_services", _("head of social services")
    BOARD_SECRETARY = "board_secretary", _("board secretary")
    FINANCE_OFFICER = "finance_officer", _("finance officer")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    PROVIDER_STAFF = "provider_staff", _("provider staff")
    AUDITOR = "auditor", _("auditor")


class User(AbstractUser):
    title = models.CharField(_("title"), max_length=100, blank=True)
    # Seeded demo account: may log in without 2FA, but only while settings.LOTSEN_DEMO_LOGIN is on.
    demo_account = models.BooleanField(default=False)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def active_memberships(self, on: date | None = None) -> models.QuerySet[Membership]:
        return Membership.objects.active(on).filter(user=self).select_related("unit")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: date | None = None) -> MembershipQuerySet:
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Membership(models.Model):
    """A role in a unit for a period. `can_view_protected` is the explicit authorisation to see persons
    with protected identity (R-SEK-3) in that unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    can_view_protected = models.BooleanField(_("may see protected identities"), default=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role", "valid_from"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_period_valid",
            ),
        ]
        ordering = ["unit__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
