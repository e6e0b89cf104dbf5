"""Question pages of the citizen e-service (UI.md pages 29–31): one question per page, Swedish error messages
in the citizen's words (UI.md 6.4), the same in the error summary and at the field."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import pgettext_lazy

from lotsen.assistance.codes import HOUSEHOLD_INCOME_TYPES
from lotsen.core.forms import GovukForm

AMOUNT_ERRORS = {
    "invalid": pgettext_lazy("eservices", "Enter the amount in whole kronor, for example 6900"),
    "min_value": pgettext_lazy("eservices", "The amount cannot be less than 0"),
    "max_value": pgettext_lazy("eservices", "The amount can be at most 1 000 000 kronor"),
}
YES_NO = [("yes", pgettext_lazy("eservices", "Yes")), ("no", pgettext_lazy("eservices", "No"))]

# The e-service's own words for the riksnorm.md types (klarspråk, "du").
COST_QUESTIONS = {
    "housing": pgettext_lazy("eservices", "Rent or other housing cost"),
    "household_electricity": pgettext_lazy("eservices", "Household electricity"),
    "home_insurance": pgettext_lazy("eservices", "Home insurance"),
    "work_travel": pgettext_lazy("eservices", "Travel to and from work"),
    "union_fee": pgettext_lazy("eservices", "Trade union fee"),
    "unemployment_fund_fee": pgettext_lazy("eservices", "Unemployment fund fee (a-kassa)"),
}
INCOME_QUESTIONS = {
    "salary": pgettext_lazy("eservices", "Salary"),
    "unemployment_benefit": pgettext_lazy("eservices", "Unemployment benefit (a-kassa)"),
    "sickness_benefit": pgettext_lazy("eservices", "Sickness benefit"),
    "sickness_compensation": pgettext_lazy("eservices", "Sickness or activity compensation"),
    "parental_benefit": pgettext_lazy("eservices", "Parental benefit"),
    "activity_support": pgettext_lazy("eservices", "Activity support or development allowance"),
    "establishment_benefit": pgettext_lazy("eservices", "Establishment benefit"),
    "student_aid": pgettext_lazy("eservices", "Student aid (CSN)"),
    "pension": pgettext_lazy("eservices", "Pension"),
    "child_allowance": pgettext_lazy("eservices", "Child allowance or study allowance"),
    "maintenance_support": pgettext_lazy("eservices", "Maintenance support from Försäkringskassan"),
    "maintenance_payment": pgettext_lazy("eservices", "Maintenance payment from the other parent"),
    "housing_allowance": pgettext_lazy("eservices", "Housing allowance"),
    "other": pgettext_lazy("eservices", "Other income"),
}
PERSONAL_INCOME_TYPES = tuple(t for t in INCOME_QUESTIONS if t not in HOUSEHOLD_INCOME_TYPES)


def amount_field(label: Any, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=1_000_000,
        error_messages={**AMOUNT_ERRORS, "required": pgettext_lazy("eservices", "Enter the amount")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocomplete": "off",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )


class LoginForm(GovukForm):
    """Demo: choose a person of the synthetic population, or type a personnummer."""

    choice = forms.ChoiceField(
        label=pgettext_lazy("eservices", "Who are you?"),
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("eservices", "Choose who you are")},
    )
    pnr = forms.CharField(label=pgettext_lazy("eservices", "Personal identity number"), required=False, max_length=13)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choice"]).choices = [
            *people,
            ("other", pgettext_lazy("eservices", "Another person")),
        ]
        self.fields["pnr"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-20",
            }
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("choice") == "other" and not (data.get("pnr") or "").strip():
            self.add_error("pnr", pgettext_lazy("eservices", "Enter your personal identity number"))
        return data

    def personnummer(self) -> str:
        data = self.cleaned_data
        return str(data["pnr"] if data["choice"] == "other" else data["choice"])


class MonthForm(GovukForm):
    period = forms.ChoiceField(
        label=pgettext_lazy("eservices", "Which month do you apply for?"),
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("eservices", "Choose the month you apply for")},
    )

    def __init__(self, *args: Any, months: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period"]).choices = months


class PartnerForm(GovukForm):
    has_partner = forms.ChoiceField(
        label=pgettext_lazy("eservices", "Do you live with a husband, wife or partner?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": pgettext_lazy("eservices", "Choose yes if you live with a husband, wife or partner")
        },
    )
    partner_pnr = forms.CharField(
        label=pgettext_lazy("eservices", "Their personal identity number"), required=False, max_length=13
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_pnr"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-20",
            }
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("has_partner") == "yes" and not (data.get("partner_pnr") or "").strip():
            self.add_error(
                "partner_pnr",
                pgettext_lazy("eservices", "Enter your husband's, wife's or partner's personal identity number"),
            )
        return data


class ChildrenForm(GovukForm):
    children = forms.MultipleChoiceField(
        label=pgettext_lazy("eservices", "Which children live with you?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, children: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["children"]).choices = children


class LunchForm(GovukForm):
    lunch_away = forms.MultipleChoiceField(
        label=pgettext_lazy("eservices", "Which children eat lunch at preschool on weekdays?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, children: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lunch_away"]).choices = children


class CostsForm(GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in COST_QUESTIONS.items():
            self.fields[code] = amount_field(label)


class IncomeForm(GovukForm):
    """Checkboxes for the kinds of income, each revealing its amount (GOV.UK conditional reveal)."""

    def __init__(self, *args: Any, types: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.types = types
        for code in types:
            self.fields[f"has_{code}"] = forms.BooleanField(label=INCOME_QUESTIONS[code], required=False)
            self.fields[f"amount_{code}"] = amount_field(
                pgettext_lazy("eservices", "Amount after tax this month, kronor")
            )
        if "other" in types:
            self.fields["other_note"] = forms.CharField(
                label=pgettext_lazy("eservices", "What income is it?"), required=False, max_length=200
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "check": self[f"has_{code}"],
                "amount": self[f"amount_{code}"],
                "note": self["other_note"] if code == "other" else None,
            }
            for code in self.types
        ]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        for code in self.types:
            if (
                data.get(f"has_{code}")
                and data.get(f"amount_{code}") in (None, "")
                and f"amount_{code}" not in self.errors
            ):
                self.add_error(f"amount_{code}", pgettext_lazy("eservices", "Enter how much you get this month"))
        if data.get("has_other") and not (data.get("other_note") or "").strip():
            self.add_error("other_note", pgettext_lazy("eservices", "Write what the other income is"))
        return data

    def amounts(self) -> dict[str, int]:
        return {
            code: int(self.cleaned_data[f"amount_{code}"])
            for code in self.types
            if self.cleaned_data.get(f"has_{code}") and self.cleaned_data.get(f"amount_{code}")
        }


class OtherForm(GovukForm):
    other_needs = forms.ChoiceField(
        label=pgettext_lazy("eservices", "Do you need help with anything else this month?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("eservices", "Choose yes if you need help with anything else")},
    )
    other_needs_text = forms.CharField(
        label=pgettext_lazy("eservices", "What do you need help with?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    message = forms.CharField(
        label=pgettext_lazy("eservices", "Anything else you want to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hints = {
        "other_needs": pgettext_lazy(
            "eservices",
            "For example dental care, glasses or a cost for a child. A caseworker then looks at your application.",
        ),
    }

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("other_needs") == "yes" and not (data.get("other_needs_text") or "").strip():
            self.add_error("other_needs_text", pgettext_lazy("eservices", "Write what you need help with"))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


KIND_CHOICES = [
    ("rent", pgettext_lazy("eservices", "Rent notice or other housing cost")),
    ("electricity", pgettext_lazy("eservices", "Electricity bill")),
    ("payslip", pgettext_lazy("eservices", "Payslip")),
    ("benefit", pgettext_lazy("eservices", "Decision or payment from Försäkringskassan or a-kassa")),
    ("bank_statement", pgettext_lazy("eservices", "Bank statement")),
    ("other", pgettext_lazy("eservices", "Something else")),
]


class UploadForm(GovukForm):
    kind = forms.ChoiceField(
        label=pgettext_lazy("eservices", "What is the file?"), choices=KIND_CHOICES, required=False
    )
    upload = MultipleFileField(
        label=pgettext_lazy("eservices", "Upload a file"),
        required=False,
        error_messages={"empty": pgettext_lazy("eservices", "The file is empty. Choose another file")},
    )
    hints = {"upload": pgettext_lazy("eservices", "PDF, JPG or PNG, smaller than 20 MB. You can choose several files.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "govuk-select"
        self.fields["upload"].widget.attrs.update({"class": "govuk-file-upload", "accept": ".pdf,.jpg,.jpeg,.png"})


class ChangedForm(GovukForm):
    changed = forms.ChoiceField(
        label="",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("eservices", "Choose yes if something has changed")},
    )


class CheckForm(GovukForm):
    declaration = forms.BooleanField(
        label=pgettext_lazy("eservices", "I confirm that the information is correct and complete"),
        error_messages={"required": pgettext_lazy("eservices", "Confirm that the information is correct and complete")},
    )
    token = forms.CharField(widget=forms.HiddenInput)


class CompletionAnswerForm(GovukForm):
    answer = forms.CharField(
        label=pgettext_lazy("eservices", "Your answer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("eservices", "What is the file?"), choices=KIND_CHOICES, required=False
    )
    upload = MultipleFileField(
        label=pgettext_lazy("eservices", "Upload a file"),
        required=False,
        error_messages={"empty": pgettext_lazy("eservices", "The file is empty. Choose another file")},
    )
    hints = {"upload": pgettext_lazy("eservices", "PDF, JPG or PNG, smaller than 20 MB. You can choose several files.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "govuk-select"
        self.fields["upload"].widget.attrs.update({"class": "govuk-file-upload", "accept": ".pdf,.jpg,.jpeg,.png"})
