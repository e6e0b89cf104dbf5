"""`lotsen personnummer check VALUE [--today YYYY-MM-DD]` (lotsen/people/cli.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from lotsen.people.cli import main

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KEYS = ["input", "valid", "kind", "normalized", "birth_date", "sex", "age", "error"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert err == ""
    assert out.endswith("\n") and out.count("\n") == 1
    result = json.loads(out)
    assert list(result) == KEYS
    return code, result


def test_valid_personnummer(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "19121212-1212", "--today", "2026-11-23") == (
        0,
        {
            "input": "19121212-1212",
            "valid": True,
            "kind": "personnummer",
            "normalized": "191212121212",
            "birth_date": "1912-12-12",
            "sex": "M",
            "age": 113,
            "error": None,
        },
    )


@pytest.mark.parametrize(
    ("value", "birth_date", "age"),
    [("121212-1212", "2012-12-12", 13), ("121212+1212", "1912-12-12", 113), ("1212121212", "2012-12-12", 13)],
)
def test_ten_digits_take_the_century_from_today(
    capsys: pytest.CaptureFixture[str], value: str, birth_date: str, age: int
) -> None:
    code, result = run(capsys, "check", value, "--today", "2026-11-23")
    assert code == 0
    assert (result["input"], result["normalized"][2:]) == (value, "1212121212")
    assert (result["birth_date"], result["age"]) == (birth_date, age)


def test_today_moves_the_century(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = run(capsys, "check", "121212-1212", "--today", "2011-12-31")
    assert (result["birth_date"], result["age"]) == ("1912-12-12", 99)
    # In 2012 "-" means 2012, so the day before the birthday the number is not valid yet.
    code, result = run(capsys, "check", "121212-1212", "--today", "2012-12-11")
    assert (code, result["error"]) == (1, "Födelsedatumet i personnumret kan inte vara senare än i dag")
    _, result = run(capsys, "check", "121212-1212", "--today=2012-12-12")
    assert (result["birth_date"], result["age"]) == ("2012-12-12", 0)


def test_samordningsnummer_woman(capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run(capsys, "check", "850769-9802", "--today", "2026-11-23")
    assert code == 0
    assert result["kind"] == "samordningsnummer"
    assert (result["birth_date"], result["sex"], result["age"]) == ("1985-07-09", "F", 41)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("811218-9877", "Personnumret stämmer inte. Kontrollera de fyra sista siffrorna"),
        ("81121-89876", "Personnumret ska ha 10 eller 12 siffror, till exempel 19121212-1212"),
        ("810229-1237", "Födelsedatumet i personnumret måste vara ett riktigt datum"),
        ("20261124-1239", "Födelsedatumet i personnumret kan inte vara senare än i dag"),
    ],
)
def test_invalid_values_exit_1_with_null_fields(capsys: pytest.CaptureFixture[str], value: str, error: str) -> None:
    code, result = run(capsys, "check", value, "--today", "2026-11-23")
    assert code == 1
    assert result == dict.fromkeys(KEYS) | {"input": value, "valid": False, "error": error}


@pytest.mark.parametrize("today", ["2026-13-01", "2026-02-29", "20261123", "23/11/2026", "", "2026-11-23T00:00"])
def test_bad_today_is_a_usage_error(capsys: pytest.CaptureFixture[str], today: str) -> None:
    assert main(["check", "811218-9876", "--today", today]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "--today" in err


@pytest.mark.parametrize("argv", [[], ["check"], ["verify", "811218-9876"], ["check", "811218-9876", "extra"]])
def test_other_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage: lotsen personnummer" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    assert "--today" in capsys.readouterr().out


def test_default_today_is_the_date_in_stockholm(capsys: pytest.CaptureFixture[str]) -> None:
    """At 23:30 UTC on New Year's Eve it is already 1 January 2027 in Stockholm."""
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        code, result = run(capsys, "check", "270101-1237")
    assert code == 0
    assert (result["birth_date"], result["age"]) == ("2027-01-01", 0)


def test_command_line() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "lotsen.cli",
            "personnummer",
            "check",
            "19121212-1212",
            "--today",
            "2026-11-23",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == {
        "input": "19121212-1212",
        "valid": True,
        "kind": "personnummer",
        "normalized": "191212121212",
        "birth_date": "1912-12-12",
        "sex": "M",
        "age": 113,
        "error": None,
    }
