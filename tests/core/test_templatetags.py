import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lotsen.core.templatetags.lotsen import iso_date, kronor, long_date, number


def test_kronor_uses_swedish_separators():
    assert kronor(13940) == "13\u202f940\u00a0kr"
    assert kronor(-700) == "\u2212700\u00a0kr"
    assert kronor("1234.50") == "1\u202f234,50\u00a0kr"
    assert kronor(None) == ""


def test_dates():
    assert iso_date(dt.date(2026, 3, 16)) == "2026-03-16"
    assert long_date(dt.date(2026, 3, 16)) == "16 mars 2026"
    assert long_date(dt.date(2026, 3, 16), True) == "måndag 16 mars 2026"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_number_round_trips(n):
    text = number(n)
    assert int(text.replace("\u202f", "").replace("\u2212", "-")) == n
