"""Forms of the caseworker pages (UI.md pages 18, 19, 27 and the queue). Error messages are Swedish
through gettext (UI.md 6.4) and the same in the error summary and at the field."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import pgettext_lazy

from lotsen.assistance import automation
from lotsen.assistance.calc import Adjustment
from lotsen.assistance.codes import BARRIERS
from lotsen.assistance.norm import OTHER_NEED_LABELS, REASONABLE_COST_LABELS
from lotsen.assistance.periods import add_months, month_label, month_start, month_text, parse_month
from lotsen.core.forms import GovukForm

AMOUNT_ERRORS = {
    "invalid": pgettext_lazy("assistance", "Enter the amount in whole kronor, for example 6900"),
    "min_value": pgettext_lazy("assistance", "The amount cannot be negative"),
    "max_value": pgettext_lazy("assistance", "The amount can be at most 1 000 000 kr"),
}


def amount_field(label: Any, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=1_000_000,
        error_messages={**AMOUNT_ERRORS, "required": pgettext_lazy("assistance", "Enter the amount")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
    )


def _number(person: Any) -> str:
    return f"{person.pnr[:8]}-{person.pnr[8:]}" if person.pnr else (person.temp_id or "")


def month_choices(today: date, *, back: int = 12, ahead: int = 1) -> list[tuple[str, str]]:
    first = month_start(today)
    months = [add_months(first, n) for n in range(ahead, -back - 1, -1)]
    return [(month_text(m), month_label(m).capitalize()) for m in months]


class ListFilterForm(GovukForm):
    view = forms.ChoiceField(
        label=pgettext_lazy("assistance", "Show"),
        required=False,
        choices=[
            ("queue", pgettext_lazy("assistance", "Waiting for a caseworker")),
            ("decided", pgettext_lazy("assistance", "Decided")),
            ("all", pgettext_lazy("assistance", "All")),
        ],
    )
    period = forms.ChoiceField(label=pgettext_lazy("assistance", "Month of assistance"), required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            ("", pgettext_lazy("assistance", "All months")),
            *month_choices(today),
        ]

    def period_value(self) -> date | None:
        value = self.cleaned_data.get("period") if self.is_valid() else None
        return parse_month(value) if value else None


class LookupForm(GovukForm):
    pnr = forms.CharField(
        label=pgettext_lazy("assistance", "Applicant's personal identity number"),
        max_length=13,
        error_messages={"required": pgettext_lazy("assistance", "Enter the applicant's personal identity number")},
    )
    hints = {"pnr": pgettext_lazy("assistance", "For example 19121212-1212")}
    widths = {"pnr": "govuk-input--width-20"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pnr"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})


INCOME_FIELDS = [
    ("salary", "applicant"),
    ("unemployment_benefit", "applicant"),
    ("sickness_benefit", "applicant"),
    ("parental_benefit", "applicant"),
    ("student_aid", "applicant"),
    ("child_allowance", "applicant"),
    ("maintenance_support", "applicant"),
    ("housing_allowance", "applicant"),
    ("salary", "partner"),
    ("unemployment_benefit", "partner"),
    ("sickness_benefit", "partner"),
]


class RegisterForm(GovukForm):
    """A paper or in-person application registered by the caseworker (channel ``caseworker``)."""

    period = forms.ChoiceField(label=pgettext_lazy("assistance", "Month of assistance"))
    partner = forms.ChoiceField(
        label=pgettext_lazy("assistance", "Spouse or partner in the household"), widget=forms.RadioSelect
    )
    children = forms.MultipleChoiceField(
        label=pgettext_lazy("assistance", "Children in the household"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lunch_away = forms.MultipleChoiceField(
        label=pgettext_lazy("assistance", "Children who eat lunch at preschool on weekdays"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared_total_persons = forms.IntegerField(
        label=pgettext_lazy("assistance", "Persons in the shared household (hushållsgemenskap)"),
        required=False,
        min_value=2,
        max_value=30,
        error_messages={
            "invalid": pgettext_lazy("assistance", "Enter a whole number"),
            "min_value": pgettext_lazy("assistance", "Enter at least 2"),
        },
    )
    message = forms.CharField(
        label=pgettext_lazy("assistance", "Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hints = {
        "shared_total_persons": pgettext_lazy(
            "assistance",
            "Only when the household shares food and everyday costs with others, for example "
            "a lodger. Count everyone, the applicant's household included.",
        ),
        "lunch_away": pgettext_lazy("assistance", "Only children up to 6 years have a separate amount."),
    }
    widths = {"shared_total_persons": "govuk-input--width-4"}

    def __init__(self, *args: Any, today: date, partners: list[Any], children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period"]).choices = month_choices(today, back=3, ahead=1)
        cast(forms.ChoiceField, self.fields["partner"]).choices = [
            ("", pgettext_lazy("assistance", "No spouse or partner"))
        ] + [(str(p.pk), f"{p.full_name} ({_number(p)})") for p in partners]
        self.fields["partner"].required = False
        choices = [(str(c.pk), f"{c.full_name}, {c.birth_date.isoformat() if c.birth_date else ''}") for c in children]
        cast(forms.ChoiceField, self.fields["children"]).choices = choices
        cast(forms.ChoiceField, self.fields["lunch_away"]).choices = choices
        for code in REASONABLE_COST_LABELS:
            self.fields[f"cost_{code}"] = amount_field(REASONABLE_COST_LABELS[code])
            self.widths = {**self.widths, f"cost_{code}": "govuk-input--width-10"}
        for income, member in INCOME_FIELDS:
            from lotsen.assistance.norm import INCOME_LABELS

            label = INCOME_LABELS[income] + (", make/maka/sambo" if member == "partner" else "")
            self.fields[f"income_{member}_{income}"] = amount_field(label)
        for name, field in self.fields.items():
            if name.startswith(("cost_", "income_")):
                field.widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.order_fields(
            ["period", "partner", "children", "lunch_away", "shared_total_persons"]
            + [f"cost_{c}" for c in REASONABLE_COST_LABELS]
            + [f"income_{m}_{i}" for i, m in INCOME_FIELDS]
            + ["message"]
        )

    def cost_fields(self) -> list[Any]:
        return [self[f"cost_{c}"] for c in REASONABLE_COST_LABELS]

    def income_fields(self, member: str) -> list[Any]:
        return [self[f"income_{m}_{i}"] for i, m in INCOME_FIELDS if m == member]

    def applicant_income_fields(self) -> list[Any]:
        return self.income_fields("applicant")

    def partner_income_fields(self) -> list[Any]:
        return self.income_fields("partner")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        partner_incomes = any(data.get(f"income_partner_{i}") for i, m in INCOME_FIELDS if m == "partner")
        if partner_incomes and not data.get("partner"):
            self.add_error(
                "partner", pgettext_lazy("assistance", "Choose the spouse or partner, or remove their incomes")
            )
        return data


# --- page 19 ------------------------------------------------------------------------------------------------


class AdjustmentForm(GovukForm):
    target = forms.ChoiceField(label=pgettext_lazy("assistance", "Item"), required=False)
    direction = forms.ChoiceField(
        label=pgettext_lazy("assistance", "Change"),
        required=False,
        choices=[("lower", pgettext_lazy("assistance", "Lower")), ("raise", pgettext_lazy("assistance", "Raise"))],
        widget=forms.RadioSelect,
    )
    amount = forms.IntegerField(
        label=pgettext_lazy("assistance", "Amount, kronor"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": pgettext_lazy("assistance", "Enter the amount in whole kronor"),
            "min_value": pgettext_lazy("assistance", "Enter an amount above 0"),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reason = forms.CharField(label=pgettext_lazy("assistance", "Reasons"), required=False, max_length=500)
    widths = {"amount": "govuk-input--width-10"}

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", pgettext_lazy("assistance", "Choose item")),
            *targets,
        ]

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(k) for k in ("target", "amount", "reason"))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not any(data.get(k) for k in ("target", "amount", "reason")):
            return data
        if not data.get("target"):
            self.add_error("target", pgettext_lazy("assistance", "Choose which item the adjustment is for"))
        if not data.get("direction"):
            self.add_error("direction", pgettext_lazy("assistance", "Choose whether the item is raised or lowered"))
        if not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", pgettext_lazy("assistance", "Enter the amount of the adjustment"))
        if not (data.get("reason") or "").strip():
            self.add_error("reason", pgettext_lazy("assistance", "Enter the reasons for the adjustment"))
        return data

    def adjustment(self) -> Adjustment | None:
        data = self.cleaned_data
        if not data.get("target") or not data.get("amount") or not data.get("direction"):
            return None
        if not (data.get("reason") or "").strip():
            return None
        kind, _sep, index = data["target"].partition(":")
        amount = data["amount"] if data["direction"] == "raise" else -data["amount"]
        return Adjustment(kind=kind, amount=amount, reason=data["reason"].strip(), index=int(index) if index else None)


def adjustment_targets(costs: dict[str, Any]) -> list[tuple[str, str]]:
    from lotsen.core.templatetags.lotsen import kronor

    targets = []
    for i, line in enumerate(costs.get("reasonable_costs", [])):
        targets.append((f"cost:{i}", f"{REASONABLE_COST_LABELS[line['type']]} ({kronor(line['amount'])})"))
    for i, line in enumerate(costs.get("other_needs", [])):
        targets.append((f"other_need:{i}", f"{OTHER_NEED_LABELS[line['type']]} ({kronor(line['amount'])})"))
    targets.append(("norm", str(pgettext_lazy("assistance", "The national norm (special reasons)"))))
    return targets


def adjustment_initial(adjustments: list[Adjustment]) -> list[dict[str, Any]]:
    rows = []
    for adj in adjustments:
        target = "norm" if adj.kind == "norm" else f"{adj.kind}:{adj.index}"
        rows.append(
            {
                "target": target,
                "direction": "raise" if adj.amount > 0 else "lower",
                "amount": abs(adj.amount),
                "reason": adj.reason,
            }
        )
    return rows


class BaseAdjustmentFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        self.targets = targets
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"targets": self.targets}

    def adjustments(self) -> list[Adjustment]:
        result = []
        for form in self.forms:
            if hasattr(form, "cleaned_data") and not form.errors:
                adj = form.adjustment()
                if adj is not None:
                    result.append(adj)
        return result


AdjustmentFormSet = cast(
    type[BaseAdjustmentFormSet],
    forms.formset_factory(AdjustmentForm, formset=BaseAdjustmentFormSet, extra=1, max_num=12, absolute_max=12),
)

OUTCOME_CHOICES = [
    ("granted", pgettext_lazy("assistance", "Grant")),
    ("partly_granted", pgettext_lazy("assistance", "Grant in part")),
    ("rejected", pgettext_lazy("assistance", "Reject")),
]


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("assistance", "Decision"),
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("assistance", "Choose the decision")},
    )
    reasons = forms.CharField(
        label=pgettext_lazy("assistance", "Reasons (motivering)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": pgettext_lazy("assistance", "Enter the reasons for the decision")},
    )
    require_manual_next = forms.BooleanField(
        label=pgettext_lazy("assistance", "Next month's application is tried by a caseworker"), required=False
    )
    require_manual_reason = forms.CharField(label=pgettext_lazy("assistance", "Why"), required=False, max_length=500)
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)
    hints = {
        "reasons": pgettext_lazy(
            "assistance", "Say why, with the calculation and the legal grounds. The text is in the decision letter."
        ),
        "require_manual_next": pgettext_lazy(
            "assistance", "The automation then leaves next month's application to a caseworker."
        ),
    }

    def __init__(self, *args: Any, adults: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", pgettext_lazy("assistance", "Choose barrier to self-support")), *BARRIERS.items()]
        self.adult_ids = [member_id for member_id, _label in adults]
        for member_id, label in adults:
            self.fields[f"barrier_{member_id}"] = forms.ChoiceField(
                label=pgettext_lazy("assistance", "Barrier to self-support: %(who)s") % {"who": label},
                choices=choices,
                error_messages={
                    "required": pgettext_lazy("assistance", "Choose the barrier to self-support for %(who)s")
                    % {"who": label}
                },
            )
            self.fields[f"barrier_{member_id}"].widget.attrs["class"] = "govuk-select"

    def barrier_fields(self) -> list[Any]:
        return [self[f"barrier_{m}"] for m in self.adult_ids]

    def barriers(self) -> dict[str, str]:
        return {m: self.cleaned_data.get(f"barrier_{m}", "") for m in self.adult_ids}

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("require_manual_next") and not (data.get("require_manual_reason") or "").strip():
            self.add_error(
                "require_manual_reason",
                pgettext_lazy("assistance", "Enter why next month's application needs a caseworker"),
            )
        return data


class CompletionForm(GovukForm):
    message = forms.CharField(
        label=pgettext_lazy("assistance", "What should the applicant send?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": pgettext_lazy("assistance", "Enter what the applicant should send")},
    )
    due_on = forms.DateField(
        label=pgettext_lazy("assistance", "Last day"),
        error_messages={
            "required": pgettext_lazy("assistance", "Enter the last day for the completion"),
            "invalid": pgettext_lazy("assistance", "The last day must be a real date, for example 2026-03-16"),
        },
    )
    hints = {
        "message": pgettext_lazy(
            "assistance", "Write so that the applicant understands, for example: Send your rent notice for March."
        ),
        "due_on": pgettext_lazy(
            "assistance", "For example 2026-03-16. A weekend or holiday moves to the next working day."
        ),
    }
    widths = {"due_on": "govuk-input--width-10"}


class RuleSetForm(GovukForm):
    """The municipality's rules for automated decisions; saving creates a new version."""

    accountable_delegate = forms.TypedChoiceField(
        label=pgettext_lazy("assistance", "Accountable delegate"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    valid_from = forms.DateField(
        label=pgettext_lazy("assistance", "Valid from"),
        error_messages={
            "required": pgettext_lazy("assistance", "Enter the date the rules apply from"),
            "invalid": pgettext_lazy("assistance", "The date must be a real date, for example 2026-03-16"),
        },
    )
    adopted_by = forms.CharField(label=pgettext_lazy("assistance", "Board decision"), max_length=200, required=False)
    hints = {
        "accountable_delegate": pgettext_lazy(
            "assistance", "Automated decisions are made on this person's behalf and carry their name."
        ),
        "valid_from": pgettext_lazy("assistance", "For example 2026-03-16"),
        "adopted_by": pgettext_lazy("assistance", "For example SN 2026-01-20 § 12"),
    }
    widths = {"valid_from": "govuk-input--width-10"}

    def __init__(self, *args: Any, delegates: list[Any], current: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["accountable_delegate"]).choices = [
            ("", pgettext_lazy("assistance", "No delegate: no automated decisions"))
        ] + [(u.pk, f"{u.display_name}{', ' + u.title.lower() if u.title else ''}") for u in delegates]
        self.fields["accountable_delegate"].widget.attrs["class"] = "govuk-select"
        by_code = {item["code"]: item for item in current}
        self.rule_rows = []
        for spec in automation.RULES:
            item = by_code.get(spec.code, {"enabled": True, **spec.defaults})
            name = f"enabled_{spec.code}"
            self.fields[name] = forms.BooleanField(
                label=f"{spec.id} {spec.title_sv}", required=False, initial=item.get("enabled", True)
            )
            if spec.mandatory:
                self.fields[name].disabled = True
                self.fields[name].initial = True
            params = []
            for param, default in spec.defaults.items():
                pname = f"param_{spec.code}_{param}"
                self.fields[pname] = forms.IntegerField(
                    label=PARAM_LABELS.get(param, param),
                    min_value=0,
                    max_value=1_000_000,
                    initial=item.get(param, default),
                    error_messages={
                        "required": pgettext_lazy("assistance", "Enter a value"),
                        "invalid": pgettext_lazy("assistance", "Enter a whole number"),
                        "min_value": pgettext_lazy("assistance", "Enter 0 or more"),
                    },
                    widget=forms.TextInput(
                        attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-10"}
                    ),
                )
                params.append(pname)
            self.rule_rows.append((spec, name, params))

    def rules(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        result = []
        for spec, name, params in self.rule_rows:
            item: dict[str, Any] = {"code": spec.code, "enabled": bool(data.get(name)) or spec.mandatory}
            for pname in params:
                item[pname.removeprefix(f"param_{spec.code}_")] = data.get(pname)
            result.append(item)
        return result

    def rule_fields(self) -> list[tuple[Any, Any, list[Any]]]:
        return [(spec, self[name], [self[p] for p in params]) for spec, name, params in self.rule_rows]


PARAM_LABELS = {
    "threshold_percent": pgettext_lazy("assistance", "Largest change, percent"),
    "min_kronor": pgettext_lazy("assistance", "Always allowed change, kronor"),
    "max_kronor": pgettext_lazy("assistance", "Highest amount, kronor"),
    "max_automated_in_a_row": pgettext_lazy(
        "assistance", "Automated decisions in a row before a caseworker tries the application"
    ),
}


class TableUploadForm(GovukForm):
    file = forms.FileField(
        label=pgettext_lazy("assistance", "Rate table (JSON)"),
        error_messages={
            "required": pgettext_lazy("assistance", "Choose a file"),
            "empty": pgettext_lazy("assistance", "The file is empty. Choose another file"),
        },
    )
    hints = {
        "file": pgettext_lazy(
            "assistance", "A file riksnorm-YYYY.json in the format lotsen.riksnorm.table/1 (riksnorm.md 2.2)."
        )
    }


class NoticeForm(GovukForm):
    """R-BESL-3: the day the applicant received the decision (by letter or in person)."""

    notified_on = forms.DateField(
        label=pgettext_lazy("assistance", "Date the applicant received the decision"),
        error_messages={
            "required": pgettext_lazy("assistance", "Enter the date the applicant received the decision"),
            "invalid": pgettext_lazy("assistance", "The date must be a real date, for example 2026-03-16"),
        },
    )
    channel = forms.ChoiceField(
        label=pgettext_lazy("assistance", "How"),
        choices=[
            ("letter", pgettext_lazy("assistance", "By letter")),
            ("in_person", pgettext_lazy("assistance", "At a visit")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("assistance", "Choose how the applicant received the decision")},
    )
    hints = {"notified_on": pgettext_lazy("assistance", "For example 2026-03-16")}
    widths = {"notified_on": "govuk-input--width-10"}

    def clean_notified_on(self) -> date:
        from django.utils import timezone

        value: date = self.cleaned_data["notified_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(pgettext_lazy("assistance", "The date cannot be later than today"))
        return value
