"""`lotsen deadlines compute` (lotsen/cases/cli.py): the check interface of R-TID-9."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from lotsen.cases.cli import main
from lotsen.cases.deadlines import compute_deadlines, deadlines_to_json, parse_request

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    payload: object,
    *argv: str,
) -> tuple[int, str, str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(["compute", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], payload: object, *argv: str) -> Any:
    code, out, err = run(monkeypatch, capsys, payload, *argv)
    assert (code, err) == (0, "")
    assert out.endswith("\n") and out.count("\n") == 1
    return json.loads(out)


def invalid(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], payload: object) -> str:
    code, out, err = run(monkeypatch, capsys, payload)
    assert code == 2
    assert out == ""
    assert err.startswith("lotsen deadlines: ") and err.endswith("\n") and err.count("\n") == 1
    return err


def child(*events: dict[str, Any], today: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"process": "child", "events": list(events)}
    if today is not None:
        payload["today"] = today
    return payload


def e(type_: str, on: str, **extra: Any) -> dict[str, Any]:
    return {"type": type_, "date": on, **extra}


def test_e1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    result = ok(monkeypatch, capsys, child(e("report_received", "2026-03-02"), today="2026-03-05"))
    assert result == {
        "deadlines": [
            {"kind": "protection_assessment", "due": "2026-03-02", "rule": "R-SKYDD-1", "status": "overdue"},
            {
                "kind": "pre_assessment",
                "due": "2026-03-16",
                "rule": "R-FORH-1",
                "status": "open",
                "plan_by": "2026-03-16",
            },
        ]
    }


def test_e2_late_within_the_sunday_rule(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    result = ok(
        monkeypatch,
        capsys,
        child(
            e("report_received", "2026-03-07"),
            e("protection_assessment_signed", "2026-03-07"),
            e("pre_assessment_decided", "2026-03-23", outcome="open"),
        ),
    )
    assert result["deadlines"][1] == {
        "kind": "pre_assessment",
        "due": "2026-03-21",
        "rule": "R-FORH-1",
        "status": "late_within_sunday_rule",
        "plan_by": "2026-03-20",
    }


def test_e8_extension_and_e13_care_review(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    result = ok(
        monkeypatch,
        capsys,
        child(
            e("care_reviewed", "2026-08-20"),
            e("placement_started", "2026-03-10"),
            e(
                "investigation_extended",
                "2026-07-01",
                until="2026-08-31",
                reason_text="väntar på polisförhör",
            ),
            e("investigation_opened", "2026-03-10"),
            today="2026-07-11",
        ),
    )
    assert result == {
        "deadlines": [
            {
                "kind": "investigation",
                "due": "2026-08-31",
                "rule": "R-UTR-2",
                "status": "open",
                "plan_by": "2026-08-31",
                "original_due": "2026-07-10",
            },
            {
                "kind": "care_review",
                "due": "2027-02-20",
                "rule": "R-VARD-1",
                "status": "open",
                "plan_by": "2027-02-19",
            },
        ]
    }


def test_extended_after_expiry(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    result = ok(
        monkeypatch,
        capsys,
        child(
            e("investigation_opened", "2026-03-10"),
            e("investigation_extended", "2026-07-13", until="2026-08-31"),
            today="2026-07-20",
        ),
    )
    assert result["deadlines"] == [
        {
            "kind": "investigation",
            "due": "2026-07-10",
            "rule": "R-UTR-2",
            "status": "overdue",
            "plan_by": "2026-07-10",
            "extended_after_expiry": True,
        }
    ]


def test_e9_reporter_feedback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    result = ok(
        monkeypatch,
        capsys,
        child(
            e("report_received", "2026-03-02"),
            e("protection_assessment_signed", "2026-03-02"),
            e("reporter_feedback_requested", "2026-03-05"),
            e("pre_assessment_decided", "2026-03-12", outcome="not_open"),
            e("reporter_feedback_sent", "2026-03-19"),
        ),
    )
    assert [(d["kind"], d["due"], d["rule"], d["status"]) for d in result["deadlines"]] == [
        ("protection_assessment", "2026-03-02", "R-SKYDD-1", "met"),
        ("pre_assessment", "2026-03-16", "R-FORH-1", "met"),
        ("reporter_feedback", "2026-03-19", "R-INFO-1", "met"),
    ]


def test_adult(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    payload = {
        "process": "adult",
        "events": [e("report_received", "2026-03-02"), e("placement_started", "2026-08-31")],
    }
    assert ok(monkeypatch, capsys, payload) == {
        "deadlines": [
            {
                "kind": "care_review",
                "due": "2027-02-28",
                "rule": "R-VARD-1",
                "status": "pending",
                "plan_by": "2027-02-26",
            }
        ]
    }


def test_no_events(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert ok(monkeypatch, capsys, child()) == {"deadlines": []}


def test_sunday_rule_setting(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    payload = child(e("report_received", "2026-03-20"), today="2026-04-06")
    assert ok(monkeypatch, capsys, payload)["deadlines"][1]["due"] == "2026-04-03"  # E3: långfredagen
    shifted = ok(monkeypatch, capsys, payload, "--sunday-rule-for-board-deadlines")["deadlines"][1]
    assert (shifted["due"], shifted["calendar_due"], shifted["status"]) == (
        "2026-04-07",
        "2026-04-03",
        "open",
    )


def test_the_cli_and_the_engine_agree(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    payload = child(
        e("report_received", "2026-12-10"),
        e("protection_assessment_signed", "2026-12-10"),
        e("pre_assessment_extended", "2026-12-20", until="2027-01-08"),
        today="2027-01-02",
    )
    request = parse_request(payload)
    expected = deadlines_to_json(compute_deadlines(request.process, request.events, today=request.today))
    assert ok(monkeypatch, capsys, payload) == expected


@pytest.mark.parametrize("moment", ["2020-01-01", "2026-03-10", "2031-12-31"])
def test_without_today_the_real_date_does_not_matter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], moment: str
) -> None:
    """R-TID-9: without "today" a deadline not ended is pending, whatever the clock says."""
    payload = child(e("report_received", "2026-03-02"), e("investigation_opened", "2026-03-10"))
    with time_machine.travel(datetime.fromisoformat(moment).replace(hour=12, tzinfo=UTC), tick=False):
        result = ok(monkeypatch, capsys, payload)
    assert [d["status"] for d in result["deadlines"]] == ["pending", "pending", "pending"]


@pytest.mark.parametrize("moment", ["2020-01-01", "2031-12-31"])
def test_with_today_the_real_date_does_not_matter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], moment: str
) -> None:
    payload = child(e("investigation_opened", "2026-03-10"), today="2026-07-11")
    with time_machine.travel(datetime.fromisoformat(moment).replace(tzinfo=UTC), tick=False):
        assert ok(monkeypatch, capsys, payload)["deadlines"][0]["status"] == "overdue"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ("[]", "one JSON object"),
        ({"process": "elderly", "events": []}, "unknown process 'elderly'"),
        (child(e("report_closed", "2026-03-02")), "event 1: unknown event type 'report_closed'"),
        (child(e("report_received", "2026-02-30")), "'date' 2026-02-30 is not a date that exists"),
        (child(today="2026-13-01"), "'today' 2026-13-01 is not a date that exists"),
        (
            child(e("investigation_opened", "2026-03-10"), e("investigation_extended", "2026-07-01")),
            "'until' is missing",
        ),
        (
            child(
                e("investigation_opened", "2026-03-10"),
                e("investigation_extended", "2026-07-01", until="2026-07-10"),
            ),
            "'until' 2026-07-10 is not after the due date in force 2026-07-10",
        ),
        (child(e("investigation_decided", "2026-03-10")), "investigation was never started"),
        (
            child(e("pre_assessment_extended", "2026-03-10", until="2026-04-01")),
            "pre_assessment was never started",
        ),
        (
            child(
                e("investigation_opened", "2026-03-10"),
                e("investigation_decided", "2026-04-10"),
                e("investigation_extended", "2026-04-11", until="2026-09-01"),
            ),
            "already ended on 2026-04-10",
        ),
        (
            child(
                e("report_received", "2026-03-02"),
                e("protection_assessment_signed", "2026-03-02"),
                e("protection_assessment_signed", "2026-03-03"),
            ),
            "already signed on 2026-03-02",
        ),
        (
            child(e("report_received", "2026-03-02"), e("pre_assessment_decided", "2026-03-05", outcome="open")),
            "pre_assessment_decided before protection_assessment_signed",
        ),
        (
            child(
                e("report_received", "2026-03-02"),
                e("protection_assessment_signed", "2026-03-02"),
                e("pre_assessment_decided", "2026-03-05"),
            ),
            "'outcome' is missing",
        ),
    ],
)
def test_invalid_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], payload: object, message: str
) -> None:
    assert message in invalid(monkeypatch, capsys, payload)


def test_input_that_is_not_utf8(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"process": "\xff"}'), encoding="utf-8"))
    assert main(["compute"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("lotsen deadlines: the input is not valid UTF-8")


def test_stdin_can_be_passed_in(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compute"], stdin=io.StringIO(json.dumps(child()))) == 0
    assert json.loads(capsys.readouterr().out) == {"deadlines": []}


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["compute", "--today", "2026-03-02"]])
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and "usage: lotsen deadlines" in err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compute", "--help"]) == 0
    assert "usage: lotsen deadlines compute" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (child(e("investigation_opened", "2026-03-10"), today="2026-07-11"), 0),
        (child(e("investigation_decided", "2026-03-10")), 2),
    ],
)
def test_subprocess(payload: dict[str, Any], code: int) -> None:
    """The real command line: `python -m lotsen.cli deadlines compute` through the top-level dispatcher."""
    completed = subprocess.run(
        [sys.executable, "-m", "lotsen.cli", "deadlines", "compute"],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert completed.returncode == code
    if code == 0:
        assert completed.stderr == ""
        assert json.loads(completed.stdout) == {
            "deadlines": [
                {
                    "kind": "investigation",
                    "due": "2026-07-10",
                    "rule": "R-UTR-2",
                    "status": "overdue",
                    "plan_by": "2026-07-10",
                }
            ]
        }
    else:
        assert completed.stdout == ""
        assert completed.stderr.strip().startswith("lotsen deadlines: event 1 (investigation_decided on 2026-03-10)")
        assert completed.stderr.count("\n") == 1
