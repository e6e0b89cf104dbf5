"""Shared kernel: the municipality (tenant) and its organisation tree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """The tenant. One deployment (one database) serves one municipality or a cooperation."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("municipality code"), max_length=4, unique=True, help_text="SCB kommunkod")
    kolada_id = models.CharField(max_length=10, blank=True)
    settings = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("municipality")

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Administration")
    RECEPTION = "reception", _("Reception (children and young people)")
    CHILD_INVESTIGATION = "child_investigation", _("Investigation (children and young people)")
    ADULT = "adult", _("Adults")
    ASSISTANCE = "assistance", _("Financial assistance")
    PLACEMENT = "placement", _("Placements")
    OPEN_CARE = "open_care", _("Non-residential care")
    FAMILY_CENTRE = "family_centre", _("Family centre")
    BOARD_ADMIN = "board_admin", _("Board administration")
    PROVIDER = "provider", _("Provider")


class Unit(models.Model):
    """A node of the organisation tree: förvaltning → (sektion) → enhet."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    code = models.SlugField(max_length=50, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")

    def __str__(self) -> str:
        return self.name
