"""``lotsen norm …``: the norm engine as a command (riksnorm.md section 7.1).

    lotsen norm calculate --json [--tables DIR] [--compact] < input.json > result.json
    lotsen norm table --year YYYY --json [--tables DIR] [--compact]

No database, no network, no Django: only the engine and the table files. Exit codes: 0 result, 2 invalid
input, 3 no table / invalid table / missing table value for the period, 4 internal error. On a non-zero exit
stdout holds a ``lotsen.norm.error/1`` object and stderr one line ``error CODE: message (path)``.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NoReturn

from lotsen.assistance.norm import ERROR_SCHEMA, NormError, calculate
from lotsen.assistance.tables import TableError, load_tables

EXIT_OK = 0
EXIT_INVALID_INPUT = 2
EXIT_NO_TABLE = 3
EXIT_INTERNAL = 4


class _UsageError(Exception):
    pass


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error becomes an error object instead of a bare exit."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _build_parser() -> _ArgumentParser:
    parser = _ArgumentParser(prog="lotsen norm", description="Riksnormen för försörjningsstöd (riksnorm.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    calculate_cmd = commands.add_parser(
        "calculate", help="beräkna ett hushåll: lotsen.norm.input/1 på stdin, lotsen.norm.result/1 på stdout"
    )
    table_cmd = commands.add_parser("table", help="skriv ut ett års validerade riksnormstabell")
    table_cmd.add_argument("--year", type=int, required=True, help="tabellens år, t.ex. 2026")
    for command in (calculate_cmd, table_cmd):
        command.add_argument("--json", action="store_true", required=True, help="JSON in och ut (krävs)")
        command.add_argument("--tables", type=Path, default=None, metavar="DIR", help="läs DIR/riksnorm-YYYY.json")
        command.add_argument("--compact", action="store_true", help="skriv JSON på en rad")
    return parser


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} är inte giltig JSON")


def _read_input(stream: IO[Any]) -> Any:
    """One JSON document (UTF-8); numbers with a fraction become Decimal, never float (RN-C1)."""
    raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    try:
        return json.loads(raw, parse_float=Decimal, parse_constant=_reject_constant)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise NormError("SCHEMA_INVALID", f"Indata är inte giltig JSON: {exc}") from exc


def _dump(document: Any, *, compact: bool) -> str:
    if compact:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _write(stream: IO[Any], text: str) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:  # a real stdout: always UTF-8, whatever the locale says
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)


def _fail(
    out: IO[Any], err: IO[Any], code: str, message: str, path: str | None, exit_code: int, *, compact: bool
) -> int:
    _write(
        out,
        _dump(
            {"schema": ERROR_SCHEMA, "error": {"code": code, "message": message, "path": path}},
            compact=compact,
        ),
    )
    _write(err, f"error {code}: {message}" + (f" ({path})" if path is not None else "") + "\n")
    return exit_code


def main(
    argv: list[str],
    *,
    stdin: IO[Any] | None = None,
    stdout: IO[Any] | None = None,
    stderr: IO[Any] | None = None,
) -> int:
    """Run ``lotsen norm`` with ``argv`` = the arguments after the word ``norm``; returns the exit code."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        args = _build_parser().parse_args(argv)
    except _UsageError as exc:
        return _fail(out, err, "USAGE_INVALID", f"Felaktigt kommando: {exc}", None, EXIT_INVALID_INPUT, compact=False)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        tables = load_tables(args.tables)
        if args.command == "calculate":
            document: Any = calculate(_read_input(stdin if stdin is not None else sys.stdin), tables=tables)
        else:
            table = tables.get(args.year)
            for warning in table.load_warnings:
                _write(err, f"warning TABLE_AMOUNT: {warning}\n")
            document = table.document
    except NormError as exc:
        return _fail(out, err, exc.code, exc.message, exc.path, exc.exit_code, compact=args.compact)
    except TableError as exc:
        return _fail(out, err, exc.code, exc.message, None, EXIT_NO_TABLE, compact=args.compact)
    except Exception as exc:
        message = f"Internt fel i normberäkningen ({type(exc).__name__})"
        return _fail(out, err, "INTERNAL_ERROR", message, None, EXIT_INTERNAL, compact=args.compact)
    _write(out, _dump(document, compact=args.compact))
    return EXIT_OK
