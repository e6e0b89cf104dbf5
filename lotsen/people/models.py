"""Persons, relations and households."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class LegalSex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Protection(models.TextChoices):
    """Skyddade personuppgifter (R-SEK-3)."""

    NONE = "none", _("none")
    SECRECY_MARKING = "secrecy_marking", _("secrecy marking")
    PROTECTED_REGISTRATION = "protected_registration", _("protected registration")
    FICTITIOUS_IDENTITY = "fictitious_identity", _("fictitious identity")


class Person(models.Model):
    pnr = models.CharField(_("personal identity number"), max_length=12, unique=True, null=True, blank=True)
    temp_id = models.CharField(_("reserve number"), max_length=20, unique=True, null=True, blank=True)
    is_coordination_number = models.BooleanField(default=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    legal_sex = models.CharField(_("legal sex"), max_length=1, choices=LegalSex.choices, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    protection = models.CharField(
        _("protected identity"), max_length=32, choices=Protection.choices, default=Protection.NONE
    )
    deceased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(pnr__isnull=False) | Q(temp_id__isnull=False), name="person_has_identifier"
            ),
            models.CheckConstraint(condition=Q(pnr__regex=r"^[0-9]{12}$") | Q(pnr__isnull=True), name="pnr_12_digits"),
        ]
        indexes = [
            # Prefix search on names ("Anders%") without pg_trgm (not in every PostgreSQL build).
            models.Index(OpClass(Upper("last_name"), name="varchar_pattern_ops"), name="person_last_name_prefix"),
            models.Index(OpClass(Upper("first_name"), name="varchar_pattern_ops"), name="person_first_name_prefix"),
            models.Index(fields=["birth_date"], name="person_birth_date"),
        ]
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        # Never used in logs; opaque for safety.
        return f"Person #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection != Protection.NONE

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class RelationKind(models.TextChoices):
    GUARDIAN_OF = "guardian_of", _("guardian of")
    PARENT_OF = "parent_of", _("parent of")
    PARTNER_OF = "partner_of", _("partner of")
    LIVES_WITH = "lives_with", _("lives with")


class Relation(models.Model):
    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_from")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(max_length=20, choices=RelationKind.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(from_person=models.F("to_person")), name="relation_not_self"),
            models.UniqueConstraint(fields=["from_person", "to_person", "kind"], name="relation_unique"),
        ]

    def __str__(self) -> str:
        return f"Relation #{self.pk} ({self.kind})"


class Household(models.Model):
    """A household for a period (riksnorm.md section 3): spouses/sambos and the children they support."""

    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    street_address = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Household #{self.pk}"


class HouseholdRole(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    OTHER_ADULT = "other_adult", _("other adult")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    role = models.CharField(max_length=20, choices=HouseholdRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "person"], name="household_member_unique")]

    def __str__(self) -> str:
        return f"HouseholdMember #{self.pk} ({self.role})"
