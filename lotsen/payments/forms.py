"""Forms of the payments pages (GOV.UK markup through `core.forms`; dates as the GOV.UK date input,
År – Månad – Dag, UI.md 3.2). Error messages say what is wrong and how to fix it (UI.md 6.4)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from lotsen.core.forms import GovukForm
from lotsen.payments.models import AccountKind, Category, Circumstance, LegalGround, PayeeKind

# --- the GOV.UK date input --------------------------------------------------------------------------------


class GovukDateWidget(forms.MultiWidget):
    """Three text inputs named `<name>-year`, `<name>-month`, `<name>-day` (UI.md 3.3); rendered by the
    field template `payments/forms/date_field.html` from `DateBoundField.date_parts`."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [forms.TextInput(attrs={"inputmode": "numeric"}) for _part in range(3)]
        super().__init__(widgets, attrs)
        self.widgets_names = ["-year", "-month", "-day"]

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.year, value.month, value.day]
        return [None, None, None]


DATE_PARTS = (
    ("year", _("Year"), "govuk-input--width-4"),
    ("month", _("Month"), "govuk-input--width-2"),
    ("day", _("Day"), "govuk-input--width-2"),
)


class DateBoundField(BoundField):
    @property
    def date_parts(self) -> list[dict[str, Any]]:
        value = self.value()
        if isinstance(value, date):
            values: list[Any] = [value.year, value.month, value.day]
        elif isinstance(value, list | tuple) and len(value) == 3:
            values = list(value)
        else:
            values = [None, None, None]
        parts = []
        for i, (suffix, label, width) in enumerate(DATE_PARTS):
            parts.append(
                {
                    "id": self.auto_id if i == 0 else f"{self.auto_id}-{suffix}",
                    "name": f"{self.html_name}-{suffix}",
                    "label": label,
                    "width": width,
                    "value": "" if values[i] is None else values[i],
                }
            )
        return parts


class GovukDateField(forms.MultiValueField):
    """A date from three parts; a full ISO date pasted into the year field is accepted too (UI.md 3.2)."""

    widget = GovukDateWidget
    template_name = "payments/forms/date_field.html"
    bound_field_class = DateBoundField

    def __init__(self, *, required_message: Any, invalid_message: Any, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", self.template_name)  # Field.__init__ would reset it to None
        parts = tuple(forms.CharField(required=False) for _part in range(3))
        super().__init__(
            fields=parts,
            require_all_fields=False,
            error_messages={"required": required_message, "invalid": invalid_message, "incomplete": invalid_message},
            **kwargs,
        )

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and value and value[0] and not any(value[1:]):
            try:
                return date.fromisoformat(str(value[0]).strip())
            except ValueError:
                pass
        return super().clean(value)

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list or not any(data_list):
            return None
        try:
            year, month, day = (int(str(part).strip()) for part in data_list)
            if year < 1900:
                raise ValueError
            return date(year, month, day)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


def date_field(label: Any, required: Any, invalid: Any, **kwargs: Any) -> GovukDateField:
    return GovukDateField(label=label, required_message=required, invalid_message=invalid, **kwargs)


class AmountField(forms.Field):
    """Kronor as typed by a Swede: "1 250", "1250,50". Returns a Decimal with two decimals; never a float."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if len(text) > 20:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        cleaned = "".join(text.replace("kr", "").split()).replace("\u2212", "-").replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount.quantize(Decimal("0.01"))


NUMERIC_ATTRS = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
AMOUNT_INVALID = _("Enter the amount in kronor, for example 1250")


class TokenMixin(forms.Form):
    """A server-side idempotency key for forms that create rows (UI.md 1.4: double submits never count twice)."""

    idempotency_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_token", uuid.uuid4().hex)


# --- case: payee account, planning, served, corrections ----------------------------------------------------


class PayeeAccountForm(GovukForm):
    account_kind = forms.ChoiceField(
        label=_("Where should the money be paid?"),
        choices=AccountKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose bank account or bankgiro")},
    )
    clearing = forms.CharField(label=_("Clearing number"), max_length=10, required=False)
    account_number = forms.CharField(
        label=_("Account number or bankgiro number"),
        max_length=30,
        error_messages={"required": _("Enter the account number")},
    )
    valid_from = date_field(
        _("Valid from"), _("Enter the date the account is valid from"), _("Valid from must be a real date")
    )
    hints = {
        "clearing": _("Only for a bank account. 4 digits, or 5 digits for Swedbank, for example 8327-9"),
        "account_number": _("For example 123 456 789-0, or a bankgiro number like 5050-1055"),
        "valid_from": _("For example 2026 3 16"),
    }
    widths = {"clearing": "govuk-input--width-5", "account_number": "govuk-input--width-20"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("clearing", "account_number"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("account_kind") == AccountKind.BANK_ACCOUNT and not data.get("clearing"):
            self.add_error("clearing", _("Enter the clearing number"))
        return data


ACCOUNT_CHOICES = [
    ("registered", _("The person's registered payout account")),
    (AccountKind.BANK_ACCOUNT, _("Another bank account")),
    (AccountKind.BANKGIRO, _("Bankgiro")),
]


class PaymentPlanForm(TokenMixin, GovukForm):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision the payment belongs to")},
    )
    payee_kind = forms.ChoiceField(
        label=_("Who is paid?"),
        choices=PayeeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is paid")},
    )
    creditor_name = forms.CharField(label=_("Name of the payee"), max_length=140, required=False)
    account = forms.ChoiceField(
        label=_("Account"),
        choices=ACCOUNT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which account the money goes to")},
    )
    clearing = forms.CharField(label=_("Clearing number"), max_length=10, required=False)
    account_number = forms.CharField(label=_("Account number or bankgiro number"), max_length=30, required=False)
    amount = AmountField(
        label=_("Amount in kronor"),
        error_messages={"required": _("Enter the amount"), "invalid": AMOUNT_INVALID},
    )
    pay_on = date_field(_("Payment date"), _("Enter the payment date"), _("Payment date must be a real date"))
    category = forms.ChoiceField(
        label=_("Kind of aid"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of aid")},
    )
    reference = forms.CharField(label=_("Message to the payee (optional)"), max_length=140, required=False)
    hints = {
        "creditor_name": _("For a landlord or supplier: the name on the invoice. Empty means the person's name."),
        "clearing": _("Only for another bank account"),
        "account_number": _("Only for another bank account or a bankgiro"),
        "pay_on": _("For example 2026 3 25"),
        "reference": _("For example the OCR number or 'Hyra april 2026'"),
    }
    widths = {
        "creditor_name": "govuk-!-width-two-thirds",
        "clearing": "govuk-input--width-5",
        "account_number": "govuk-input--width-20",
        "amount": "govuk-input--width-10",
        "reference": "govuk-!-width-two-thirds",
    }

    def __init__(self, *args: Any, decisions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decisions  # type: ignore[attr-defined]
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        for name in ("clearing", "account_number"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        account = data.get("account")
        if account == AccountKind.BANK_ACCOUNT and not data.get("clearing"):
            self.add_error("clearing", _("Enter the clearing number"))
        if account in (AccountKind.BANK_ACCOUNT, AccountKind.BANKGIRO) and not data.get("account_number"):
            self.add_error("account_number", _("Enter the account number"))
        if data.get("payee_kind") in (PayeeKind.LANDLORD, PayeeKind.UTILITY):
            if not data.get("creditor_name", "").strip():
                self.add_error("creditor_name", _("Enter the name of the payee"))
            if account == "registered":
                self.add_error("account", _("Choose the landlord's or supplier's bank account or bankgiro"))
        return data


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Enter the reason")},
    )


class CorrectionForm(TokenMixin, GovukForm):
    amount = AmountField(
        label=_("Amount to deduct in kronor"),
        error_messages={"required": _("Enter the amount"), "invalid": AMOUNT_INVALID},
    )
    corrected_on = date_field(
        _("Date of the correction"), _("Enter the date of the correction"), _("Date must be a real date")
    )
    reason = forms.CharField(
        label=_("Why is the payment corrected?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Enter why the payment is corrected")},
    )
    widths = {"amount": "govuk-input--width-10"}


class ServedForm(GovukForm):
    served_on = date_field(
        _("Date the decision was served"), _("Enter the date the decision was served"), _("Date must be a real date")
    )
    how = forms.CharField(
        label=_("How was it served?"),
        max_length=200,
        error_messages={"required": _("Enter how the decision was served")},
    )
    hints = {"how": _("For example: handed over at a meeting, receipt signed")}
    widths = {"how": "govuk-!-width-two-thirds"}


# --- batches ----------------------------------------------------------------------------------------------


class BatchCreateForm(GovukForm):
    pay_on = date_field(_("Payment date"), _("Enter the payment date"), _("Payment date must be a real date"))
    hints = {"pay_on": _("All planned payments due on or before this day are included. For example 2026 3 25")}


class DiscardForm(GovukForm):
    reason = forms.CharField(
        label=_("Why is the batch removed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Enter why the batch is removed")},
    )


class ConfirmPaidForm(GovukForm):
    paid_on = date_field(_("Paid on"), _("Enter the date the bank paid"), _("Date must be a real date"))
    hints = {"paid_on": _("The day on the bank's statement. For example 2026 3 25")}


class ReturnForm(GovukForm):
    returned_on = date_field(_("Returned on"), _("Enter the date of the return"), _("Date must be a real date"))
    reason = forms.CharField(
        label=_("Why did the bank return the money?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Enter why the bank returned the money")},
    )
    hints = {"reason": _("For example: the account is closed")}


# --- recoveries -------------------------------------------------------------------------------------------


class RecoveryForm(GovukForm):
    decision = forms.TypedChoiceField(
        label=_("Decision on the aid"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision the claim concerns")},
    )
    legal_ground = forms.ChoiceField(
        label=_("Ground for the claim"),
        choices=LegalGround.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the ground for the claim")},
    )
    circumstance = forms.ChoiceField(
        label=_("Situation (only for 33:2)"),
        choices=Circumstance.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    amount = AmountField(
        label=_("Amount to reclaim in kronor"),
        error_messages={"required": _("Enter the amount"), "invalid": AMOUNT_INVALID},
    )
    cost_date = date_field(
        _("Date the cost arose"), _("Enter the date the cost arose"), _("Date the cost arose must be a real date")
    )
    decided_on = date_field(
        _("Date of the decision to reclaim"), _("Enter the date of the decision"), _("Date must be a real date")
    )
    reason = forms.CharField(
        label=_("Why is the aid reclaimed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Enter why the aid is reclaimed")},
    )
    hints = {
        "legal_ground": _(
            "33:2 and 33:3 need a decision with repayment terms that was served on the person (33 kap. SoL)."
        ),
        "cost_date": _("Usually the day the aid was paid. Court action is possible for three years from this day."),
    }
    widths = {"amount": "govuk-input--width-10"}

    def __init__(self, *args: Any, decisions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decisions  # type: ignore[attr-defined]
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


class RepaymentForm(TokenMixin, GovukForm):
    amount = AmountField(
        label=_("Amount received in kronor"),
        error_messages={"required": _("Enter the amount"), "invalid": AMOUNT_INVALID},
    )
    received_on = date_field(
        _("Received on"), _("Enter the date the money was received"), _("Date must be a real date")
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)
    hints = {"amount": _("A negative amount corrects an earlier registration.")}
    widths = {"amount": "govuk-input--width-10", "note": "govuk-!-width-two-thirds"}


class WaiveForm(GovukForm):
    waived_on = date_field(_("Date of the decision to waive"), _("Enter the date"), _("Date must be a real date"))
    reason = forms.CharField(
        label=_("Why is the claim waived?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter why the claim is waived")},
    )


class CourtActionForm(GovukForm):
    filed_on = date_field(_("Date the action was brought"), _("Enter the date"), _("Date must be a real date"))
    committee_decision = forms.CharField(
        label=_("The committee's decision"),
        max_length=200,
        error_messages={"required": _("Enter the committee's decision")},
    )
    hints = {"committee_decision": _("Court action is decided by the committee. For example SU 2026-04-14 § 45")}
    widths = {"committee_decision": "govuk-!-width-two-thirds"}


class StatisticsExportForm(GovukForm):
    override_reason = forms.CharField(
        label=_("Why is the file sent without the rows with errors?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
