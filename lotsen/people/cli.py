"""`lotsen personnummer check VALUE [--today YYYY-MM-DD]`: check one identity number, print JSON.

Exit codes: 0 valid, 1 invalid, 2 usage error. Without `--today` the date in Europe/Stockholm is used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from lotsen.people.personnummer import check

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lotsen personnummer", description="Check personnummer and samordningsnummer (R-PNR-1…6)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check_command = commands.add_parser(
        "check", help="check one number and print the result as JSON (exit 0 valid, 1 invalid)"
    )
    check_command.add_argument("value", metavar="VALUE", help="10 or 12 digits, with or without - or +")
    # Parsed in main(), not with type=, so that a bad date gives one line on stderr instead of the usage.
    check_command.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the date to judge the number on (default: today in Stockholm)"
    )
    return parser


def _parse_today(text: str) -> date | None:
    if _ISO_DATE.fullmatch(text) is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def main(argv: list[str]) -> int:
    """Run the command; `argv` is what follows `personnummer`. Returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage or the help
        return exc.code if isinstance(exc.code, int) else 2

    if args.today is None:
        today = datetime.now(STOCKHOLM).date()
    else:
        parsed = _parse_today(args.today)
        if parsed is None:
            print(f"lotsen personnummer: --today must be a date YYYY-MM-DD, not {args.today!r}", file=sys.stderr)
            return 2
        today = parsed

    result = check(args.value, today)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["valid"] else 1
