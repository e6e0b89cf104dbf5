"""`lotsen deadlines compute [--sunday-rule-for-board-deadlines] < events.json` (R-TID-9).

Reads one JSON object on stdin:

    {"process": "child" | "adult", "today": "YYYY-MM-DD" (optional), "events": [{"type": ..., "date": ...}]}

and prints `{"deadlines": [{"kind", "due", "rule", "status", ...}]}`, computed by the same engine that drives
the UI (`lotsen.cases.deadlines`). Without "today" a deadline not yet ended is `pending`.

Exit codes: 0 computed, 2 invalid input or usage (one line on stderr, nothing on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from lotsen.cases.deadlines import (
    DeadlineInputError,
    DeadlineSettings,
    compute_deadlines,
    deadlines_to_json,
    parse_request,
)

PROG = "lotsen deadlines"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Compute statutory deadlines from dated case events (legal-rules.md R-TID-9)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compute = commands.add_parser(
        "compute",
        help="read {process, today?, events} as JSON on stdin and print the deadlines as JSON",
        description="Read {process, today?, events} as JSON on stdin and print {deadlines: [...]} as JSON.",
    )
    compute.add_argument(
        "--sunday-rule-for-board-deadlines",
        action="store_true",
        help="move the nämnd's own deadlines that end on a non-working day to the next working day "
        "(R-TID-4 setting, default off)",
    )
    return parser


def compute_json(text: str, settings: DeadlineSettings) -> dict[str, object]:
    """Parse `text`, compute and return the output object; `DeadlineInputError` on invalid input."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeadlineInputError(f"the input is not valid JSON ({exc})") from None
    request = parse_request(data)
    deadlines = compute_deadlines(request.process, request.events, today=request.today, settings=settings)
    return deadlines_to_json(deadlines)


def main(argv: list[str], stdin: TextIO | None = None) -> int:
    """Run the command; `argv` is what follows `deadlines`. Returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage (stderr) or the help (stdout)
        return exc.code if isinstance(exc.code, int) else 2

    settings = DeadlineSettings(sunday_rule_for_board_deadlines=args.sunday_rule_for_board_deadlines)
    try:
        text = (stdin or sys.stdin).read()
    except UnicodeDecodeError as exc:
        print(f"{PROG}: the input is not valid UTF-8 ({exc.reason})", file=sys.stderr)
        return 2
    try:
        result = compute_json(text, settings)
    except DeadlineInputError as exc:
        print(f"{PROG}: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _one_line(message: str) -> str:
    return " ".join(message.split())
