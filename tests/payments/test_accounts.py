"""Swedish bank-account and bankgiro validation (lotsen/payments/accounts.py): worked examples whose check
digits are computed by hand, and hypothesis properties of the two checksums."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from lotsen.payments.accounts import (
    CLEARING_RANGES,
    InvalidAccount,
    bank_for_clearing,
    bankgiro_with_check_digit,
    mod11_check_digit,
    mod11_valid,
    parse_bank_account,
    parse_bankgiro,
)


def test_bankgiro_worked_example():
    # 5050-1055: from the right 5, 5·2=10→1, 0, 1·2=2, 0, 5·2=10→1, 0, 5·2=10→1 → 5+1+0+2+0+1+0+1 = 10 → valid.
    assert parse_bankgiro("5050-1055").number == "50501055"
    assert parse_bankgiro("5050 1055").display() == "5050-1055"
    with pytest.raises(InvalidAccount, match="stämmer inte"):
        parse_bankgiro("5050-1056")
    with pytest.raises(InvalidAccount, match="7 eller 8 siffror"):
        parse_bankgiro("12345")
    with pytest.raises(InvalidAccount, match="7 eller 8 siffror"):
        parse_bankgiro("000-0000")


def test_nordea_personkonto_is_the_personnummer():
    # Type 2 comment 1: clearing 3300 + the 10-digit personnummer, Luhn over the ten digits (R-PNR-2: 811218-9876).
    account = parse_bank_account("3300", "811218-9876")
    assert (account.clearing, account.number, account.bank) == ("3300", "8112189876", "Nordea (personkonto)")
    with pytest.raises(InvalidAccount) as exc:
        parse_bank_account("3300", "8112189877")
    assert exc.value.field == "account_number"


def test_type_1_comment_1_worked_example():
    # SEB 5000 + 123456C: modulus 11 over "000" + "123456C" (the last three clearing digits and 7 account digits),
    # weights 1…10 from the right: C·1 + 6·2 + 5·3 + 4·4 + 3·5 + 2·6 + 1·7 + 0 + 0 + 0 = C + 77 → C = 0 (77 = 7·11).
    assert parse_bank_account("5000", "1234560").bban == "50001234560"
    with pytest.raises(InvalidAccount, match="stämmer inte"):
        parse_bank_account("5000", "1234561")
    with pytest.raises(InvalidAccount, match="7 siffror"):
        parse_bank_account("5000", "123456")


def test_type_1_comment_2_includes_the_whole_clearing_number():
    # Ålandsbanken 2300 (comment 2): the four clearing digits count. "2300" + "123456" + C:
    # C·1 + 6·2 + 5·3 + 4·4 + 3·5 + 2·6 + 1·7 + 0·8 + 0·9 + 3·10 + 2·1 = C + 109 → C = 1 (110 = 10·11).
    assert parse_bank_account("2300", "1234561").number == "1234561"
    assert not mod11_valid("0001234561")  # the comment 1 reading of the same digits fails


def test_handelsbanken_type_2_comment_2():
    # 9 digits, modulus 11 over the account number only: 123456789 → 9+16+21+24+25+24+21+16+9 = 165 = 15·11.
    assert parse_bank_account("6789", "123456789").number == "123456789"
    assert parse_bank_account("6789", "123 456 789").bank == "Handelsbanken"
    with pytest.raises(InvalidAccount):
        parse_bank_account("6789", "123456788")


def test_swedbank_five_digit_clearing_check_digit():
    # 8327-9: Luhn over 8327 gives 9 (7·2=14→5, 2, 3·2=6, 8 → 21 → 9).
    # Account 123 456 789-7: Luhn over 123456789 gives 7.
    assert luhn.calc_check_digit("123456789") == "7"
    account = parse_bank_account("8327-9", "123 456 789-7")
    assert (account.clearing, account.number, account.bank) == ("8327", "1234567897", "Swedbank")
    with pytest.raises(InvalidAccount) as exc:
        parse_bank_account("8327-8", "1234567897")
    assert exc.value.field == "clearing"


def test_unknown_and_malformed_clearing_numbers():
    with pytest.raises(InvalidAccount, match="finns inte") as exc:
        parse_bank_account("2200", "1234567")
    assert exc.value.field == "clearing"
    with pytest.raises(InvalidAccount, match="4 siffror"):
        parse_bank_account("12", "1234567")
    with pytest.raises(InvalidAccount, match="4 siffror"):
        parse_bank_account("53279", "1234567")  # five digits only for Swedbank 8xxx
    with pytest.raises(InvalidAccount, match="Ange kontonumret"):
        parse_bank_account("5000", "")


def test_clearing_ranges_do_not_overlap():
    ranges = sorted((first, last) for first, last, *_rest in CLEARING_RANGES)
    for (_a, end), (start, _b) in itertools.pairwise(ranges):
        assert end < start


digits = st.text(alphabet="0123456789", min_size=6, max_size=6)
type1 = [(f, t, c) for f, _l, t, c, _n in CLEARING_RANGES if t == 1]


@given(body=digits, index=st.integers(min_value=0, max_value=len(type1) - 1))
def test_type_1_generated_accounts_validate_and_single_digit_errors_are_caught(body, index):
    first, _type, comment = type1[index]
    clearing = str(first)
    check = mod11_check_digit((clearing[1:] if comment == 1 else clearing) + body)
    if check is None or int(body + str(check)) == 0:
        return  # no digit makes it valid (the bank never issues such a number)
    number = body + str(check)
    assert parse_bank_account(clearing, number).number == number
    # Modulus 11 with weights 1…10 detects every single-digit substitution.
    for pos in range(7):
        for d in "0123456789":
            if d != number[pos]:
                wrong = number[:pos] + d + number[pos + 1 :]
                with pytest.raises(InvalidAccount):
                    parse_bank_account(clearing, wrong)


@given(body=st.text(alphabet="0123456789", min_size=6, max_size=7))
def test_bankgiro_luhn_property(body):
    number = bankgiro_with_check_digit(body)
    if int(number) == 0:
        return
    assert parse_bankgiro(number).number == number
    assert luhn.is_valid(number)
    last = int(number[-1])
    with pytest.raises(InvalidAccount):
        parse_bankgiro(number[:-1] + str((last + 1) % 10))


@given(body=st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_type_2_luhn_accounts(body):
    number = body + luhn.calc_check_digit(body)
    if int(number) == 0:
        return
    assert parse_bank_account("3300", number).number == number
    assert parse_bank_account("8105", number).number == number  # Swedbank, comment 3


def test_bank_lookup():
    assert bank_for_clearing(6001).name == "Handelsbanken"
    assert bank_for_clearing(3300).type == 2
    assert bank_for_clearing(3301).type == 1
    assert bank_for_clearing(9999) is None
