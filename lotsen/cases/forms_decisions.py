"""Forms for decisions (UI.md pages 11, 12, 13), the delegationsordning (page 26) and the report of delegated
decisions (page 25). Swedish messages per UI.md 6.4; the same text in the error summary and at the field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotsen.accounts.models import Role
from lotsen.cases.models import AppealRoute, DecisionType
from lotsen.core.forms import GovukForm
from lotsen.policies.access import ROLE_RANK

# --- GOV.UK date input (UI.md 3.2): År – Månad – Dag ------------------------------------------------------

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class GovukDateWidget(forms.MultiWidget):
    """Three text inputs, year first. The year input carries the field's id (the error summary links to the
    first part of a date); a full ISO date pasted into the year field is accepted (UI.md 3.2)."""

    template_name = "cases/decisions/widgets/date_input.html"
    parts = ("year", "month", "day")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({part: forms.TextInput() for part in self.parts}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.year, value.month, value.day]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base = context["widget"]["attrs"].get("id") or f"id_{name}"
        for part, sub in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            sub["attrs"]["id"] = base if part == "year" else f"{base}-{part}"
            sub["part"] = part
        return context

    def id_for_label(self, id_: str) -> str:
        return id_

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        values: list[Any] = super().value_from_datadict(data, files, name)
        match = _ISO.match(values[0] or "")
        if match:
            return list(match.groups())
        return values


class GovukDateField(forms.MultiValueField):
    """A date from the GOV.UK date input. `error_messages`: required, invalid (not a real date), future
    (later than today, only with `not_after_today`)."""

    widget = GovukDateWidget

    def __init__(self, *, not_after_today: bool = False, **kwargs: Any) -> None:
        self.not_after_today = not_after_today
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        kwargs.setdefault("template_name", "cases/decisions/widgets/date_field.html")
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list or all(v in (None, "") for v in data_list):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        try:
            year, month, day = (int(str(v).strip()) for v in data_list)
            value = date(year, month, day)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if year < 1900:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.not_after_today and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")
        return value


class DecisionFormMixin:
    """Marks date inputs with errors (the GOV.UK `govuk-input--error` class on each part)."""

    fields: dict[str, forms.Field]
    errors: Any

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and isinstance(field.widget, GovukDateWidget):
                field.widget.attrs["data_error"] = True


class DecisionForm(DecisionFormMixin, GovukForm):
    pass


# --- page 11: Förbered beslut ----------------------------------------------------------------------------

INTERVENTION_OUTCOMES = [
    ("granted", pgettext_lazy("decision outcome", "Granted")),
    ("partly_granted", pgettext_lazy("decision outcome", "Partly granted")),
    ("rejected", pgettext_lazy("decision outcome", "Rejected")),
]
# R-FORH-3. `pafors_pagaende` links the report to the ongoing investigation (no decision to sign here).
PRE_ASSESSMENT_OUTCOMES = [
    ("utredning_inleds", _("Open an investigation")),
    ("inleds_ej", _("Do not open an investigation")),
    ("overlamnad", _("Hand over to another municipality or authority")),
]
CARE_REVIEW_OUTCOMES = [
    ("care_continues", _("The care continues")),
    ("care_ends", _("The care ends")),
]
# investigation_closed has one outcome: the decision itself.
CLOSED_WITHOUT_INTERVENTION = "closed_without_intervention"
OUTCOMES_BY_TYPE: dict[str, list[tuple[str, Any]]] = {
    DecisionType.PRE_ASSESSMENT: PRE_ASSESSMENT_OUTCOMES,
    DecisionType.INVESTIGATION_CLOSED: [(CLOSED_WITHOUT_INTERVENTION, _("The investigation is closed"))],
    DecisionType.CARE_REVIEW: CARE_REVIEW_OUTCOMES,
    DecisionType.NON_RESIDENTIAL: INTERVENTION_OUTCOMES,
    DecisionType.CONTACT_PERSON: INTERVENTION_OUTCOMES,
    DecisionType.PLACEMENT_HVB: INTERVENTION_OUTCOMES,
    DecisionType.PLACEMENT_FOSTER_HOME: INTERVENTION_OUTCOMES,
    DecisionType.ADULT_INTERVENTION: INTERVENTION_OUTCOMES,
    DecisionType.FINANCIAL_ASSISTANCE: INTERVENTION_OUTCOMES,
}
# Extensions are decided with "Besluta om förlängning" (a DeadlineExtension, R-TID-7), not on this page.
PREPARABLE_TYPES = set(OUTCOMES_BY_TYPE)


def outcome_label(outcome: str) -> str:
    for choices in OUTCOMES_BY_TYPE.values():
        for code, label in choices:
            if code == outcome:
                return str(label)
    return outcome


class CommunicationHow:
    LETTER = "letter"
    MEETING = "meeting"
    PHONE = "phone"
    E_SERVICE = "e_service"
    NOT_COMMUNICATED = "not_communicated"


COMMUNICATION_CHOICES = [
    (CommunicationHow.LETTER, _("By letter")),
    (CommunicationHow.MEETING, _("At a meeting")),
    (CommunicationHow.PHONE, _("By phone")),
    (CommunicationHow.E_SERVICE, _("Through the e-service")),
    (CommunicationHow.NOT_COMMUNICATED, _("The material has not been communicated")),
]
TEXT_LIMIT = 10_000


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DecisionPrepareForm(DecisionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect, error_messages={"required": _("Choose the decision")}
    )
    decision_text = forms.CharField(
        label=_("What is decided"),
        widget=_textarea(4),
        max_length=TEXT_LIMIT,
        error_messages={
            "required": _("Enter what is decided"),
            "max_length": _("The text can be at most 10 000 characters"),
        },
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=_textarea(8),
        max_length=TEXT_LIMIT,
        error_messages={
            "required": _("Enter the reasons for the decision"),
            "max_length": _("The reasons can be at most 10 000 characters"),
        },
    )
    person_view = forms.CharField(
        label=_("The person's view, or why it is missing"),
        widget=_textarea(4),
        max_length=TEXT_LIMIT,
        error_messages={
            "required": _("Enter the person's view, or why it is missing"),
            "max_length": _("The text can be at most 10 000 characters"),
        },
    )
    communicated_how = forms.ChoiceField(
        label=_("How was the material communicated?"),
        choices=COMMUNICATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the material was communicated")},
    )
    communicated_on = GovukDateField(
        label=_("Date the material was communicated"),
        required=False,
        not_after_today=True,
        error_messages={
            "required": _("Enter the date the material was communicated"),
            "invalid": _("The date the material was communicated must be a real date"),
            "future": _("The date the material was communicated cannot be later than today"),
        },
    )
    communication_note = forms.CharField(
        label=_("Why has the material not been communicated?"),
        required=False,
        widget=_textarea(3),
        max_length=2000,
        error_messages={"max_length": _("The text can be at most 2 000 characters")},
    )
    hints = {
        "decision_text": _("Write the decision as it will read in the letter: the intervention, its scope and time."),
        "reasons": _("The grounds for the decision (section 32 of the Administrative Procedure Act)."),
        "communicated_on": _("For example 2026 3 16"),
        "communication_note": _(
            "Only when communication is not needed, for example when the decision does not go against the person "
            "(section 25 of the Administrative Procedure Act)."
        ),
    }

    def __init__(self, *args: Any, decision_type: str, child: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision_type = decision_type
        choices = OUTCOMES_BY_TYPE[decision_type]
        if len(choices) == 1:
            self.fields["outcome"].widget = forms.HiddenInput()
            self.fields["outcome"].initial = choices[0][0]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = choices
        if child:
            self.fields["person_view"].label = _("The child's view, or why it is missing")
            self.fields["person_view"].error_messages["required"] = _("Enter the child's view, or why it is missing")
            self.fields["person_view"].help_text = _(
                "Whether the child was heard, what the child said, and if not, why (SOSFS 2014:5)."
            )
        else:
            self.fields["person_view"].help_text = _("What the person thinks about the decision, and if unknown, why.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        how = data.get("communicated_how")
        if how == CommunicationHow.NOT_COMMUNICATED:
            if not (data.get("communication_note") or "").strip():
                self.add_error("communication_note", _("Enter why the material has not been communicated"))
        elif how and data.get("communicated_on") is None and "communicated_on" not in self.errors:
            self.add_error("communicated_on", _("Enter the date the material was communicated"))
        return data

    def communication(self) -> tuple[str, dict[str, Any]]:
        """The text stored on the decision (FL 25 §) and its structured form for the payload."""
        data = self.cleaned_data
        how = data["communicated_how"]
        label = str(dict(COMMUNICATION_CHOICES)[how])
        if how == CommunicationHow.NOT_COMMUNICATED:
            note = data["communication_note"].strip()
            return f"{label}: {note}", {"how": how, "note": note}
        on: date = data["communicated_on"]
        return f"{on.isoformat()}, {label.lower()}", {"how": how, "on": on.isoformat()}


# --- page 12/13: return, sign, record the utskott's decision, notification ----------------------------------


class DecisionReturnForm(DecisionForm):
    comment = forms.CharField(
        label=_("Comment to the caseworker"),
        widget=_textarea(5),
        max_length=2000,
        error_messages={
            "required": _("Enter a comment to the caseworker"),
            "max_length": _("The comment can be at most 2 000 characters"),
        },
    )
    hints = {"comment": _("What should be changed or completed before the decision can be made.")}


class DecisionSignForm(DecisionForm):
    confirm = forms.BooleanField(
        error_messages={"required": _("Confirm that you make the decision under the delegation scheme")}
    )

    def __init__(self, *args: Any, point: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("I make the decision under point %(point)s of the delegation scheme") % {
            "point": point
        }


class CommitteeRecordForm(DecisionForm):
    meeting = forms.TypedChoiceField(
        label=_("Meeting of the committee"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the meeting where the committee decided")},
    )
    section_number = forms.IntegerField(
        label=_("Paragraph (§) in the minutes"),
        min_value=1,
        max_value=99999,
        error_messages={
            "required": _("Enter the paragraph number in the minutes, for example 12"),
            "invalid": _("The paragraph number must be a number, for example 12"),
            "min_value": _("The paragraph number must be a number, for example 12"),
            "max_value": _("The paragraph number must be a number, for example 12"),
        },
    )
    confirm = forms.BooleanField(
        error_messages={"required": _("Confirm that you record the committee's decision")},
    )
    widths = {"section_number": "govuk-input--width-5"}

    def __init__(self, *args: Any, meetings: list[tuple[int, str]], point: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["meeting"]).choices = meetings
        self.fields["section_number"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["confirm"].label = _(
            "I record the committee's decision under point %(point)s of the delegation scheme"
        ) % {"point": point}


class NotificationForm(DecisionForm):
    recipient = forms.CharField(
        label=_("Who was notified?"),
        max_length=200,
        error_messages={"required": _("Enter who was notified of the decision")},
    )
    notified_on = GovukDateField(
        label=_("Date the person was notified"),
        not_after_today=True,
        error_messages={
            "required": _("Enter the date the person was notified"),
            "invalid": _("The date the person was notified must be a real date"),
            "future": _("The date the person was notified cannot be later than today"),
        },
    )
    how = forms.ChoiceField(
        label=_("How was the decision delivered?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the decision was delivered")},
    )
    hints = {
        "recipient": _("For example: the person, the guardians, the representative."),
        "notified_on": _("The appeal period starts on this day. For example 2026 3 16"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from lotsen.board.models import NotificationMethod

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["how"]).choices = [
            (v, capfirst(str(label))) for v, label in NotificationMethod.choices
        ]


# --- page 26: Delegationsordning -------------------------------------------------------------------------

COMMITTEE = "committee"
DELEGATE_ROLES = [r for r in Role.values if r in ROLE_RANK]


def delegate_choices() -> list[tuple[str, Any]]:
    labels = dict(Role.choices)
    choices: list[tuple[str, Any]] = [(r, capfirst(str(labels[r]))) for r in DELEGATE_ROLES]
    return [*choices, (COMMITTEE, _("The individual committee (utskott)"))]


class DraftCreateForm(DecisionForm):
    version = forms.CharField(
        label=_("Version"),
        max_length=20,
        error_messages={"required": _("Enter a version name, for example 2026.2")},
    )
    valid_from = GovukDateField(
        label=_("Valid from"),
        error_messages={
            "required": _("Enter the date the version applies from"),
            "invalid": _("The date the version applies from must be a real date"),
        },
    )
    hints = {"version": _("For example 2026.2"), "valid_from": _("For example 2026 7 1")}
    widths = {"version": "govuk-input--width-10"}


class RuleForm(DecisionForm):
    point = forms.CharField(
        label=_("Point"), max_length=20, error_messages={"required": _("Enter the point, for example 3.1")}
    )
    decision_type = forms.ChoiceField(
        label=_("Decision type"),
        choices=[("", _("Choose the decision type"))]
        + [(v, capfirst(str(label))) for v, label in DecisionType.choices],
        error_messages={"required": _("Choose the decision type")},
    )
    law_reference = forms.CharField(
        label=_("Legal basis"),
        max_length=100,
        error_messages={"required": _("Enter the legal basis, for example 11 kap. 1 § SoL")},
    )
    delegate = forms.ChoiceField(
        label=_("Delegate"), widget=forms.RadioSelect, error_messages={"required": _("Choose the delegate")}
    )
    limits = forms.CharField(label=_("Limits (optional)"), max_length=200, required=False)
    appeal_route = forms.ChoiceField(
        label=_("Appeal"),
        choices=AppealRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the decision can be appealed")},
    )
    hints = {
        "point": _("For example 3.1"),
        "law_reference": _("For example 11 kap. 1 § SoL"),
        "limits": _("For example: at most 6 months, or at most 50 000 kr"),
        "delegate": _("The lowest level that may decide. Higher levels in the same unit may also decide."),
    }
    widths = {"point": "govuk-input--width-5", "law_reference": "govuk-input--width-20"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["delegate"]).choices = delegate_choices()
        cast(forms.ChoiceField, self.fields["appeal_route"]).choices = [
            (v, capfirst(str(label))) for v, label in AppealRoute.choices
        ]


class ActivateForm(DecisionForm):
    board_decided_on = GovukDateField(
        label=_("Date of the board's decision"),
        not_after_today=True,
        error_messages={
            "required": _("Enter the date of the board's decision"),
            "invalid": _("The date of the board's decision must be a real date"),
            "future": _("The date of the board's decision cannot be later than today"),
        },
    )
    board_section = forms.IntegerField(
        label=_("Paragraph (§) in the board's minutes"),
        min_value=1,
        max_value=99999,
        error_messages={
            "required": _("Enter the paragraph number in the minutes, for example 12"),
            "invalid": _("The paragraph number must be a number, for example 12"),
            "min_value": _("The paragraph number must be a number, for example 12"),
            "max_value": _("The paragraph number must be a number, for example 12"),
        },
    )
    hints = {"board_decided_on": _("For example 2026 6 16")}
    widths = {"board_section": "govuk-input--width-5"}


# --- page 25: Anmälan av delegationsbeslut ---------------------------------------------------------------


class ReportPeriodForm(DecisionForm):
    """A custom period (GET): both dates required."""

    start = GovukDateField(
        label=_("From"),
        error_messages={
            "required": _("Enter the first day of the period"),
            "invalid": _("The first day of the period must be a real date"),
        },
    )
    end = GovukDateField(
        label=_("To"),
        error_messages={
            "required": _("Enter the last day of the period"),
            "invalid": _("The last day of the period must be a real date"),
        },
    )
    hints = {"start": _("For example 2026 3 1"), "end": _("For example 2026 3 31")}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day of the period cannot be before the first day"))
        return data


class MeetingForm(DecisionForm):
    body = forms.ChoiceField(
        label=_("Body"), widget=forms.RadioSelect, error_messages={"required": _("Choose the board or the committee")}
    )
    held_on = GovukDateField(
        label=_("Date of the meeting"),
        error_messages={
            "required": _("Enter the date of the meeting"),
            "invalid": _("The date of the meeting must be a real date"),
        },
    )
    list_closes_on = GovukDateField(
        label=_("Last decision date for the meeting's list"),
        error_messages={
            "required": _("Enter the last decision date for the meeting's list"),
            "invalid": _("The last decision date for the meeting's list must be a real date"),
        },
    )
    hints = {
        "held_on": _("For example 2026 4 15"),
        "list_closes_on": _(
            "Delegated decisions made up to and including this day are reported at the meeting. For example 2026 4 7"
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from lotsen.board.models import MeetingBody

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["body"]).choices = MeetingBody.choices
