"""Insatser and placements (DOMAIN-MODEL: Provider, PriceAgreement, Intervention, Placement).

An `Intervention` exists from the day a signed, favourable decision is carried out (verkställd, `start_on`);
a decision without one is "not executed" (R-VERK-1). A `Placement` adds the form, `care_start` (R-VARD-1) and
the daily price taken from the provider's price agreement. Care reviews, visits and delay reasons are
append-only records (database trigger): a correction is a new row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotsen.core.models import Unit


class ProviderKind(models.TextChoices):
    OWN = "own", _("own activity")
    EXTERNAL = "external", _("external provider")


class Provider(models.Model):
    """Utförare: an own unit (e.g. HVB Solrosen) or an external company or foster home."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    org_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="external") | Q(unit__isnull=False), name="own_provider_has_unit")
        ]

    def __str__(self) -> str:
        return self.name


class InterventionKind(models.TextChoices):
    NON_RESIDENTIAL = "non_residential", _("non-residential intervention")
    CONTACT_PERSON = "contact_person", _("contact person")
    CONTACT_FAMILY = "contact_family", _("contact family")
    PLACEMENT = "placement", _("placement")


class PlacementForm(models.TextChoices):
    """Glossary codes."""

    FAMILJEHEM = "familjehem", _("foster home")
    NATVERKSHEM = "natverkshem", _("kinship foster home")
    JOURHEM = "jourhem", _("emergency foster home")
    HVB = "hvb", _("residential care home (HVB)")
    STODBOENDE = "stodboende", _("supported housing")
    SKYDDAT_BOENDE = "skyddat_boende", _("protected housing")
    SIS = "sis", _("special youth home (SiS)")


# Forms that are care in a foster home (R-VARD-3 custody-transfer consideration applies).
FOSTER_HOME_FORMS = {PlacementForm.FAMILJEHEM, PlacementForm.NATVERKSHEM}


class PriceUnit(models.TextChoices):
    DAY = "day", _("per day")
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")


class PriceAgreement(models.Model):
    """A provider's price for one service (an intervention kind or a placement form), valid for a period."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="agreements")
    service = models.CharField(_("service"), max_length=40)
    price_unit = models.CharField(_("price unit"), max_length=10, choices=PriceUnit.choices)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "service", "-valid_from"]
        indexes = [models.Index(fields=["provider", "service", "valid_from"])]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="price_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="price_agreement_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"PriceAgreement #{self.pk}"


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("goals reached or planned end")
    DECLINED = "declined", _("the person declined further intervention")
    MOVED = "moved", _("moved to another municipality")
    REPLACED = "replaced", _("replaced by another intervention")
    INTERRUPTED = "interrupted", _("interrupted, to be resumed")
    OTHER = "other", _("other reason")


class Intervention(models.Model):
    """Insats: carried out (verkställd) on `start_on` under a signed decision of the case."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="interventions")
    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(_("kind"), max_length=30, choices=InterventionKind.choices)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start_on = models.DateField(_("started"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    end_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    # R-VARD-5: each placed child has a named responsible socialsekreterare.
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_on", "id"]
        indexes = [models.Index(fields=["case", "start_on"]), models.Index(fields=["decision", "start_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")), name="intervention_end_after"
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True, end_reason="") | Q(end_on__isnull=False) & ~Q(end_reason=""),
                name="intervention_end_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="placement") | Q(responsible_worker__isnull=False),
                name="placement_has_responsible_worker",
            ),
            models.UniqueConstraint(
                fields=["decision"], condition=Q(end_on__isnull=True), name="one_ongoing_intervention_per_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"Intervention #{self.pk}"

    @property
    def is_ongoing(self) -> bool:
        return self.end_on is None


class Placement(models.Model):
    """Placering: care outside the own home. `care_start` is the earlier of the care decision's date and the
    day the placement began (R-VARD-1, conservative reading)."""

    intervention = models.OneToOneField(
        Intervention, primary_key=True, on_delete=models.PROTECT, related_name="placement"
    )
    form = models.CharField(_("placement form"), max_length=20, choices=PlacementForm.choices)
    care_start = models.DateField(_("care started"))
    price_agreement = models.ForeignKey(
        PriceAgreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    daily_price = models.DecimalField(_("daily price"), max_digits=12, decimal_places=2, null=True, blank=True)
    care_plan_on = models.DateField(_("care plan"), null=True, blank=True)  # R-VARD-2 vårdplan
    implementation_plan_on = models.DateField(_("implementation plan"), null=True, blank=True)  # genomförandeplan

    def __str__(self) -> str:
        return f"Placement #{self.pk}"


class CareReviewConclusion(models.TextChoices):
    CONTINUE = "continue", _("care continues unchanged")
    CHANGE = "change", _("care continues with changes")
    END = "end", _("care is to end")


class CareReview(models.Model):
    """Övervägande (R-VARD-1): the utskott's decision, recorded with its date and reference. Append-only."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("date of the committee decision"))
    committee_reference = models.CharField(_("committee reference"), max_length=100)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=CareReviewConclusion.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"CareReview #{self.pk}"


class Visit(models.Model):
    """R-VARD-5: the responsible socialsekreterare's visit to the placed child. Append-only."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visit date"))
    spoke_alone = models.BooleanField(_("spoke with the child alone"), default=False)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"Visit #{self.pk}"


class DelayReason(models.Model):
    """R-VERK-1: the short reason why a favourable decision has not been carried out, for the quarterly
    report. A postponement the person asked for (35:5) is excluded from the report. Append-only: the newest
    row applies."""

    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="delay_reasons")
    reason = models.CharField(_("reason"), max_length=500)
    requested_by_person = models.BooleanField(_("postponed at the person's request"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"DelayReason #{self.pk}"
