"""Forms of the intervention pages. Error messages follow UI.md 6.4: what is wrong and how to fix it, the same
sentence in the error summary and at the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsen.cases.models import Decision
from lotsen.core.forms import GovukForm
from lotsen.interventions import rules
from lotsen.interventions.models import CareReviewConclusion, EndReason, InterventionKind, PlacementForm, Provider
from lotsen.interventions.widgets import GovukDateField

KIND_LABELS = {
    InterventionKind.NON_RESIDENTIAL: _("Non-residential intervention"),
    InterventionKind.CONTACT_PERSON: _("Contact person"),
    InterventionKind.CONTACT_FAMILY: _("Contact family"),
    InterventionKind.PLACEMENT: _("Placement"),
}
FORM_LABELS = {
    PlacementForm.FAMILJEHEM: _("Foster home"),
    PlacementForm.NATVERKSHEM: _("Kinship foster home"),
    PlacementForm.JOURHEM: _("Emergency foster home"),
    PlacementForm.HVB: _("Residential care home (HVB)"),
    PlacementForm.STODBOENDE: _("Supported housing"),
    PlacementForm.SKYDDAT_BOENDE: _("Protected housing"),
    PlacementForm.SIS: _("Special youth home (SiS)"),
}
END_REASON_LABELS = {
    EndReason.COMPLETED: _("The goals are reached or the planned end has come"),
    EndReason.DECLINED: _("The person declined further intervention"),
    EndReason.MOVED: _("The person moved to another municipality"),
    EndReason.REPLACED: _("Replaced by another intervention"),
    EndReason.INTERRUPTED: _("Interrupted, to be resumed"),
    EndReason.OTHER: _("Other reason"),
}
CONCLUSION_LABELS = {
    CareReviewConclusion.CONTINUE: _("The care continues unchanged"),
    CareReviewConclusion.CHANGE: _("The care continues with changes"),
    CareReviewConclusion.END: _("The care is to end"),
}


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class StartForm(GovukForm):
    """Verkställ beslut: carry out a signed decision as an intervention."""

    kind = forms.ChoiceField(
        label=_("Which intervention is carried out?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which intervention is carried out")},
    )
    placement_form = forms.ChoiceField(
        label=_("Placement form"),
        widget=forms.RadioSelect,
        required=False,
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.none(),
        empty_label=_("Choose provider"),
        error_messages={"required": _("Choose provider")},
    )
    start_on = GovukDateField(
        label=_("Date the intervention started"),
        error_messages={
            "required": _("Enter the date the intervention started"),
            "invalid": _("The date the intervention started must be a real date"),
        },
    )
    planned_end_on = GovukDateField(
        label=_("Planned end date (optional)"),
        required=False,
        error_messages={"invalid": _("The planned end date must be a real date")},
    )
    responsible_worker = _UserChoiceField(
        label=_("Responsible social worker"),
        queryset=None,
        required=False,
        empty_label=_("Choose social worker"),
    )

    def __init__(self, *args: Any, decision: Decision, providers: Any, workers: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("start_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        kinds = rules.INTERVENTION_KINDS_BY_DECISION_TYPE[decision.type]
        forms_ = rules.PLACEMENT_FORMS_BY_DECISION_TYPE.get(decision.type, ())
        self.fields["kind"].choices = [(k, KIND_LABELS[InterventionKind(k)]) for k in kinds]  # type: ignore[attr-defined]
        if len(kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = kinds[0]
        if forms_:
            self.fields["placement_form"].choices = [(f, FORM_LABELS[PlacementForm(f)]) for f in forms_]  # type: ignore[attr-defined]
            if kinds == ("placement",):
                self.fields["placement_form"].required = True
                self.fields["placement_form"].error_messages["required"] = _("Choose placement form")
            else:
                self.fields["placement_form"].label = _("Placement form (only for a placement)")
        else:
            del self.fields["placement_form"]
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["responsible_worker"].queryset = workers  # type: ignore[attr-defined]
        if "placement" in kinds:
            self.fields["responsible_worker"].help_text = _(
                "Required for a placement: the social worker who follows the care and visits regularly."
            )
        else:
            self.fields["responsible_worker"].label = _("Responsible social worker (optional)")


class EndForm(GovukForm):
    end_on = GovukDateField(
        label=_("Date the intervention ended"),
        error_messages={
            "required": _("Enter the date the intervention ended"),
            "invalid": _("The date the intervention ended must be a real date"),
        },
    )
    end_reason = forms.ChoiceField(
        label=_("Why does the intervention end?"),
        widget=forms.RadioSelect,
        choices=list(END_REASON_LABELS.items()),
        error_messages={"required": _("Choose why the intervention ends")},
    )
    note = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The comment can be at most 2 000 characters")},
    )
    hints = {"note": _("Required when you choose another reason.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("end_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class CareReviewForm(GovukForm):
    reviewed_on = GovukDateField(
        label=_("Date of the committee decision"),
        error_messages={
            "required": _("Enter the date of the committee decision"),
            "invalid": _("The date of the committee decision must be a real date"),
        },
    )
    committee_reference = forms.CharField(
        label=_("Committee reference"),
        max_length=100,
        error_messages={"required": _("Enter the committee's paragraph or registry number")},
    )
    conclusion = forms.ChoiceField(
        label=_("What did the committee decide?"),
        widget=forms.RadioSelect,
        choices=list(CONCLUSION_LABELS.items()),
        error_messages={"required": _("Choose what the committee decided")},
    )
    note = forms.CharField(
        label=_("How should the care be directed and designed? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The text can be at most 4 000 characters")},
    )
    hints = {"committee_reference": _("For example IU 2026-08-20 § 45")}
    widths = {"committee_reference": "govuk-input--width-20"}


class VisitForm(GovukForm):
    visited_on = GovukDateField(
        label=_("Date of the visit"),
        error_messages={
            "required": _("Enter the date of the visit"),
            "invalid": _("The date of the visit must be a real date"),
        },
    )
    spoke_alone = forms.BooleanField(label=_("I talked with the child alone"), required=False)
    note = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The comment can be at most 2 000 characters")},
    )

    def __init__(self, *args: Any, child: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if not child:
            self.fields["spoke_alone"].label = _("I talked with the person alone")


class PlansForm(GovukForm):
    care_plan_on = GovukDateField(
        label=_("Date of the care plan (optional)"),
        required=False,
        error_messages={"invalid": _("The date of the care plan must be a real date")},
    )
    implementation_plan_on = GovukDateField(
        label=_("Date of the implementation plan (optional)"),
        required=False,
        error_messages={"invalid": _("The date of the implementation plan must be a real date")},
    )

    def __init__(self, *args: Any, child: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not child:
            del self.fields["implementation_plan_on"]


class DelayForm(GovukForm):
    reason = forms.CharField(
        label=_("Why has the decision not been carried out?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write why the decision has not been carried out"),
            "max_length": _("The reason can be at most 500 characters"),
        },
    )
    requested_by_person = forms.BooleanField(
        label=_("The person has asked to postpone the intervention"), required=False
    )
    hints = {
        "reason": _("Short and without names. The reason is reported to IVO and the auditors every quarter."),
        "requested_by_person": _("A postponement the person asked for is not reported (35 kap. 5 § SoL)."),
    }


class QuarterForm(GovukForm):
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = choices  # type: ignore[attr-defined]
