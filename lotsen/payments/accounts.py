"""Swedish bank accounts (clearing number + account number) and bankgiro numbers.

python-stdnum (2.2) has no Swedish bank-account or bankgiro module (`stdnum.se` covers orgnr, personnummer,
postnummer and VAT), so this is Lotsen's own check, written from Bankgirot's description of how the banks'
account numbers are built ("Bankernas kontonummeruppbyggnad"). Pure code: no Django, no database.

Two families of accounts:

- **Type 1**: a 4-digit clearing number and a 7-digit account number. Check digit modulus 11 over
  - comment 1: the last three digits of the clearing number and the seven account digits (10 digits);
  - comment 2: all four clearing digits and the seven account digits (11 digits).
- **Type 2**: the check digit covers the account number only, the clearing number is not part of it:
  - comment 1: a 10-digit account number, modulus 10 (Luhn);
  - comment 2 (Handelsbanken): a 9-digit account number, modulus 11;
  - comment 3 (Swedbank 8xxx-x, Nordea/Plusgirot): up to 10 digits, modulus 10 (Luhn). Swedbank's
    clearing numbers starting with 8 may be written with a fifth digit, itself a Luhn check digit over
    the first four; payment files use the four-digit form.

Modulus 11 here: weights 1, 2, 3 … 10, 1, 2 … from the rightmost digit; the weighted sum must be divisible by
11. Modulus 10 is the Luhn algorithm (as for personnummer). A bankgiro number has 7 or 8 digits and ends in a
Luhn check digit over all of them.

The clearing-number table is data that changes when banks come and go; it reflects Bankgirot's list as
published in 2024–2025. An unknown clearing number is refused (a payment to it would bounce).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from stdnum import luhn

Field = Literal["clearing", "account_number"]

# (first, last, type, comment, bank)
CLEARING_RANGES: tuple[tuple[int, int, int, int, str], ...] = (
    (1100, 1199, 1, 1, "Nordea"),
    (1200, 1399, 1, 1, "Danske Bank"),
    (1400, 2099, 1, 1, "Nordea"),
    (2300, 2399, 1, 2, "Ålandsbanken"),
    (2400, 2499, 1, 1, "Danske Bank"),
    (3000, 3299, 1, 1, "Nordea"),
    (3300, 3300, 2, 1, "Nordea (personkonto)"),
    (3301, 3399, 1, 1, "Nordea"),
    (3400, 3409, 1, 1, "Länsförsäkringar Bank"),
    (3410, 3781, 1, 1, "Nordea"),
    (3782, 3782, 2, 1, "Nordea (personkonto)"),
    (3783, 3999, 1, 1, "Nordea"),
    (4000, 4999, 1, 2, "Nordea"),
    (5000, 5999, 1, 1, "SEB"),
    (6000, 6999, 2, 2, "Handelsbanken"),
    (7000, 7999, 1, 1, "Swedbank"),
    (8000, 8999, 2, 3, "Swedbank"),
    (9020, 9029, 1, 2, "Länsförsäkringar Bank"),
    (9040, 9049, 1, 2, "Citibank"),
    (9060, 9069, 1, 1, "Länsförsäkringar Bank"),
    (9070, 9079, 1, 1, "Multitude Bank"),
    (9100, 9109, 1, 2, "Nordnet Bank"),
    (9120, 9124, 1, 1, "SEB"),
    (9130, 9149, 1, 1, "SEB"),
    (9150, 9169, 1, 2, "Skandiabanken"),
    (9170, 9179, 1, 1, "Ikano Bank"),
    (9180, 9189, 2, 1, "Danske Bank"),
    (9190, 9199, 1, 2, "DNB Bank"),
    (9230, 9239, 1, 1, "Marginalen Bank"),
    (9250, 9259, 1, 1, "SBAB"),
    (9260, 9269, 1, 2, "DNB Bank"),
    (9270, 9279, 1, 1, "ICA Banken"),
    (9280, 9289, 1, 1, "Resurs Bank"),
    (9300, 9349, 2, 1, "Swedbank (fd. Sparbanken Öresund)"),
    (9390, 9399, 1, 2, "Landshypotek"),
    (9400, 9449, 1, 1, "Forex Bank"),
    (9460, 9469, 1, 1, "Santander Consumer Bank"),
    (9470, 9479, 1, 2, "BNP Paribas"),
    (9500, 9549, 2, 3, "Nordea (Plusgirot)"),
    (9550, 9569, 1, 2, "Avanza Bank"),
    (9570, 9579, 2, 1, "Sparbanken Syd"),
    (9580, 9589, 1, 1, "Aion Bank"),
    (9590, 9599, 1, 2, "Erik Penser"),
    (9630, 9639, 1, 1, "Lån & Spar Bank Sverige"),
    (9640, 9649, 1, 2, "NOBA Bank"),
    (9650, 9659, 1, 2, "MedMera Bank"),
    (9660, 9669, 1, 2, "Svea Bank"),
    (9670, 9679, 1, 2, "JAK Medlemsbank"),
    (9680, 9689, 1, 1, "Bluestep Bank"),
    (9700, 9709, 1, 2, "Ekobanken"),
    (9710, 9719, 1, 2, "Lunar Bank"),
    (9750, 9759, 1, 2, "Northmill Bank"),
    (9780, 9789, 1, 2, "Klarna Bank"),
    (9880, 9889, 1, 2, "Riksgälden"),
    (9890, 9899, 2, 1, "Riksgälden"),
    (9960, 9969, 2, 3, "Nordea (Plusgirot)"),
)

# User-facing messages (design/UI.md 6.4: what is wrong and how to fix it).
MESSAGE_CLEARING_FORMAT = "Clearingnumret ska ha 4 siffror, eller 5 siffror för Swedbank, till exempel 8327-9"
MESSAGE_CLEARING_UNKNOWN = "Clearingnumret finns inte hos någon bank. Kontrollera clearingnumret"
MESSAGE_CLEARING_CHECK = "Clearingnumret stämmer inte. Kontrollera den femte siffran"
MESSAGE_ACCOUNT_MISSING = "Ange kontonumret"
MESSAGE_ACCOUNT_CHECK = "Kontonumret stämmer inte. Kontrollera clearingnumret och kontonumret"
MESSAGE_BANKGIRO_FORMAT = "Bankgironumret ska ha 7 eller 8 siffror, till exempel 5050-1055"
MESSAGE_BANKGIRO_CHECK = "Bankgironumret stämmer inte. Kontrollera siffrorna"

_SEPARATORS = re.compile(r"[\s\-.,]")


class InvalidAccount(ValueError):
    """`message_sv` is the sentence to show; `field` names the input it concerns."""

    def __init__(self, message_sv: str, field: Field) -> None:
        super().__init__(message_sv)
        self.message_sv = message_sv
        self.field: Field = field


def digits_only(value: str) -> str:
    """Spaces, hyphens, dots and commas are allowed as separators; anything else is kept (and refused)."""
    return _SEPARATORS.sub("", value or "")


def mod11_valid(digits: str) -> bool:
    total = sum(int(d) * (i % 10 + 1) for i, d in enumerate(reversed(digits)))
    return total % 11 == 0


def mod11_check_digit(digits_without_check: str) -> int | None:
    """The digit that makes `digits_without_check + digit` pass modulus 11, or None when only 10 would."""
    for d in range(10):
        if mod11_valid(digits_without_check + str(d)):
            return d
    return None


@dataclass(frozen=True)
class Bank:
    name: str
    type: int
    comment: int


def bank_for_clearing(clearing: int) -> Bank | None:
    for first, last, type_, comment, name in CLEARING_RANGES:
        if first <= clearing <= last:
            return Bank(name, type_, comment)
    return None


@dataclass(frozen=True)
class BankAccount:
    """A valid Swedish bank account. `clearing` has four digits (the form used in payment files)."""

    clearing: str
    number: str
    bank: str

    @property
    def bban(self) -> str:
        return self.clearing + self.number

    def display(self) -> str:
        return f"{self.clearing}-{self.number}"


@dataclass(frozen=True)
class Bankgiro:
    number: str

    def display(self) -> str:
        return f"{self.number[:-4]}-{self.number[-4:]}"


def parse_bank_account(clearing: str, number: str) -> BankAccount:
    """Validate a clearing number and an account number; raise InvalidAccount with a Swedish message."""
    c = digits_only(clearing)
    n = digits_only(number)
    if not re.fullmatch(r"[0-9]{4,5}", c):
        raise InvalidAccount(MESSAGE_CLEARING_FORMAT, "clearing")
    if len(c) == 5:
        if c[0] != "8":
            raise InvalidAccount(MESSAGE_CLEARING_FORMAT, "clearing")
        if not luhn.is_valid(c):
            raise InvalidAccount(MESSAGE_CLEARING_CHECK, "clearing")
        c = c[:4]
    bank = bank_for_clearing(int(c))
    if bank is None:
        raise InvalidAccount(MESSAGE_CLEARING_UNKNOWN, "clearing")
    if not n:
        raise InvalidAccount(MESSAGE_ACCOUNT_MISSING, "account_number")
    if not n.isascii() or not n.isdigit() or int(n) == 0:
        raise InvalidAccount(MESSAGE_ACCOUNT_CHECK, "account_number")
    if bank.type == 1:
        if len(n) != 7:
            raise InvalidAccount(f"Kontonumret ska ha 7 siffror för konton i {bank.name}", "account_number")
        checked = c[1:] + n if bank.comment == 1 else c + n
        if not mod11_valid(checked):
            raise InvalidAccount(MESSAGE_ACCOUNT_CHECK, "account_number")
        return BankAccount(c, n, bank.name)
    width = 9 if bank.comment == 2 else 10
    if len(n) > width or (bank.comment == 1 and len(n) != width):
        raise InvalidAccount(f"Kontonumret ska ha {width} siffror för konton i {bank.name}", "account_number")
    padded = n.zfill(width)
    ok = mod11_valid(padded) if bank.comment == 2 else luhn.is_valid(padded)
    if not ok:
        raise InvalidAccount(MESSAGE_ACCOUNT_CHECK, "account_number")
    return BankAccount(c, padded, bank.name)


def parse_bankgiro(value: str) -> Bankgiro:
    n = digits_only(value)
    if not re.fullmatch(r"[0-9]{7,8}", n) or int(n) == 0:
        raise InvalidAccount(MESSAGE_BANKGIRO_FORMAT, "account_number")
    if not luhn.is_valid(n):
        raise InvalidAccount(MESSAGE_BANKGIRO_CHECK, "account_number")
    return Bankgiro(n)


def bankgiro_with_check_digit(body: str) -> str:
    """Append the Luhn check digit (for tests and the demo generator)."""
    return body + luhn.calc_check_digit(body)
