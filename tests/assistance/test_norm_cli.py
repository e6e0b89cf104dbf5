"""``lotsen norm calculate --json`` and ``lotsen norm table --json`` (riksnorm.md section 7.1)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lotsen.assistance import cli
from lotsen.assistance.norm import calculate
from lotsen.assistance.tables import DEFAULT_TABLE_DIR

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
REPO_ROOT = Path(__file__).resolve().parents[2]
E6_INPUT = (GOLDEN_DIR / "E6.input.json").read_bytes()


class Run:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)


def run(argv: list[str], stdin: bytes | str = b"", *, binary: bool = True) -> Run:
    """Run ``main`` in-process; by default with byte streams behind text wrappers, like a real terminal."""
    if binary:
        raw_in = stdin if isinstance(stdin, bytes) else stdin.encode("utf-8")
        stdin_stream: Any = io.TextIOWrapper(io.BytesIO(raw_in), encoding="utf-8")
        out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
        stdout_stream = io.TextIOWrapper(out_bytes, encoding="ascii")  # the CLI must write UTF-8 anyway
        stderr_stream = io.TextIOWrapper(err_bytes, encoding="utf-8")
        code = cli.main(argv, stdin=stdin_stream, stdout=stdout_stream, stderr=stderr_stream)
        stdout_stream.flush()
        stderr_stream.flush()
        return Run(code, out_bytes.getvalue().decode("utf-8"), err_bytes.getvalue().decode("utf-8"))
    text_in = stdin.decode("utf-8") if isinstance(stdin, bytes) else stdin
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdin=io.StringIO(text_in), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def test_calculate_pretty_prints_the_result() -> None:
    result = run(["calculate", "--json"], E6_INPUT)
    assert result.code == 0
    assert result.stderr == ""
    expected = calculate(json.loads(E6_INPUT))
    assert result.stdout == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert "Personliga kostnader, ensamstående" in result.stdout  # UTF-8, not \u escapes
    assert result.json["entitlement"] == 6920


def test_calculate_compact_is_one_line() -> None:
    result = run(["calculate", "--json", "--compact"], E6_INPUT, binary=False)
    assert result.code == 0
    assert result.stdout.count("\n") == 1 and result.stdout.endswith("\n")
    assert result.json == calculate(json.loads(E6_INPUT))


def test_output_is_byte_identical_for_the_same_input() -> None:
    assert run(["calculate", "--json"], E6_INPUT).stdout == run(["calculate", "--json"], E6_INPUT).stdout


def test_fractions_in_json_are_never_floats() -> None:
    data = json.loads(E6_INPUT)
    text = json.dumps(data).replace('"amount": 9000', '"amount": 9000.0')
    assert run(["calculate", "--json"], text).json["income_lines"][0]["amount"] == 9000
    text = json.dumps(data).replace('"amount": 9000', '"amount": 9000.5')
    result = run(["calculate", "--json"], text)
    assert result.code == 2
    assert result.json["error"] == {
        "code": "AMOUNT_NOT_INTEGER",
        "message": "Beloppet måste vara ett heltal i hela kronor",
        "path": "incomes[0].amount",
    }
    assert (
        result.stderr == "error AMOUNT_NOT_INTEGER: Beloppet måste vara ett heltal i hela kronor (incomes[0].amount)\n"
    )


def test_table_not_found_exits_3_with_the_spec_error_object() -> None:
    text = E6_INPUT.decode("utf-8").replace('"2026-03"', '"2024-03"')
    result = run(["calculate", "--json", "--compact"], text)
    assert result.code == 3
    assert result.stdout == (
        '{"schema":"lotsen.norm.error/1","error":{"code":"TABLE_NOT_FOUND",'
        '"message":"Lotsen har ingen riksnormstabell för 2024","path":"period"}}\n'
    )
    assert result.stderr == "error TABLE_NOT_FOUND: Lotsen har ingen riksnormstabell för 2024 (period)\n"


@pytest.mark.parametrize(
    ("stdin", "code"),
    [
        (b"", "SCHEMA_INVALID"),
        (b"{", "SCHEMA_INVALID"),
        (b"\xff\xfe\x00", "SCHEMA_INVALID"),
        (b'{"schema": NaN}', "SCHEMA_INVALID"),
        (b"[]", "SCHEMA_INVALID"),
        (b'{"schema": "lotsen.norm.input/1", "period": "2026-13", "members": []}', "PERIOD_INVALID"),
    ],
)
def test_invalid_input_exits_2(stdin: bytes, code: str) -> None:
    result = run(["calculate", "--json"], stdin)
    assert result.code == 2
    assert result.json["schema"] == "lotsen.norm.error/1"
    assert result.json["error"]["code"] == code
    assert result.json["error"]["path"] is None or code == "PERIOD_INVALID"
    assert result.stderr.startswith(f"error {code}: ")
    assert result.stderr.count("\n") == 1


def test_missing_table_value_exits_3() -> None:
    data = {
        "schema": "lotsen.norm.input/1",
        "period": "2023-05",
        "members": [
            {"id": "a1", "role": "applicant"},
            {"id": "c1", "role": "child", "age": 0, "lunch_away_weekdays": True},
        ],
    }
    result = run(["calculate", "--json"], json.dumps(data))
    assert (result.code, result.json["error"]["code"]) == (3, "TABLE_VALUE_MISSING")
    assert result.json["error"]["path"] == "members[1].lunch_away_weekdays"


def test_tables_option_reads_another_directory(tmp_path: Path) -> None:
    broken = json.loads((DEFAULT_TABLE_DIR / "riksnorm-2026.json").read_text(encoding="utf-8"))
    broken["verified"] = True
    (tmp_path / "riksnorm-2026.json").write_text(json.dumps(broken), encoding="utf-8")
    result = run(["calculate", "--json", "--tables", str(tmp_path)], E6_INPUT)
    assert (result.code, result.json["error"]["code"], result.json["error"]["path"]) == (
        3,
        "TABLE_INVALID",
        "period",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(["calculate", "--json", "--tables", str(empty)], E6_INPUT)
    assert (result.code, result.json["error"]["code"]) == (3, "TABLE_NOT_FOUND")


def test_internal_error_exits_4(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "calculate", broken)
    result = run(["calculate", "--json"], E6_INPUT)
    assert result.code == 4
    assert result.json["error"] == {
        "code": "INTERNAL_ERROR",
        "message": "Internt fel i normberäkningen (RuntimeError)",
        "path": None,
    }
    assert result.stderr == "error INTERNAL_ERROR: Internt fel i normberäkningen (RuntimeError)\n"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["calculate"],
        ["calculate", "--xml"],
        ["compute", "--json"],
        ["table", "--json"],
        ["table", "--year", "x", "--json"],
    ],
)
def test_usage_errors_exit_2_with_an_error_object(argv: list[str]) -> None:
    result = run(argv, E6_INPUT)
    assert result.code == 2
    assert result.json["error"]["code"] == "USAGE_INVALID"
    assert result.stderr.startswith("error USAGE_INVALID: Felaktigt kommando")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["calculate", "--help"]) == 0
    assert "--tables" in capsys.readouterr().out


def test_table_prints_the_validated_table() -> None:
    result = run(["table", "--year", "2026", "--json"])
    assert result.code == 0
    assert result.json == json.loads((DEFAULT_TABLE_DIR / "riksnorm-2026.json").read_text(encoding="utf-8"))
    assert result.stderr == ""


def test_table_for_a_missing_or_invalid_year_exits_3(tmp_path: Path) -> None:
    result = run(["table", "--year", "2024", "--json"])
    assert (result.code, result.json["error"]["code"], result.json["error"]["path"]) == (
        3,
        "TABLE_NOT_FOUND",
        None,
    )
    (tmp_path / "riksnorm-2026.json").write_text("[]", encoding="utf-8")
    result = run(["table", "--year", "2026", "--json", "--tables", str(tmp_path)])
    assert (result.code, result.json["error"]["code"]) == (3, "TABLE_INVALID")


def test_table_load_warnings_go_to_stderr(tmp_path: Path) -> None:
    odd = json.loads((DEFAULT_TABLE_DIR / "riksnorm-2026.json").read_text(encoding="utf-8"))
    odd["prisbasbelopp"]["amount"] = 59205
    (tmp_path / "riksnorm-2026.json").write_text(json.dumps(odd), encoding="utf-8")
    result = run(["table", "--year", "2026", "--json", "--compact", "--tables", str(tmp_path)], binary=False)
    assert result.code == 0
    assert result.json["prisbasbelopp"]["amount"] == 59205
    assert result.stderr == "warning TABLE_AMOUNT: prisbasbelopp.amount = 59205 är inte jämnt tiotal\n"


def test_reads_the_real_stdin_and_stdout(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(E6_INPUT), encoding="utf-8"))
    assert cli.main(["calculate", "--json"]) == 0
    captured = capsysbinary.readouterr()
    assert json.loads(captured.out.decode("utf-8"))["entitlement"] == 6920
    assert captured.err == b""


def test_lotsen_norm_calculate_as_a_command() -> None:
    """The top-level dispatcher runs the command without Django or a database."""
    completed = subprocess.run(
        [sys.executable, "-m", "lotsen.cli", "norm", "calculate", "--json"],
        input=E6_INPUT,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    assert completed.stderr == b""
    assert json.loads(completed.stdout.decode("utf-8")) == calculate(json.loads(E6_INPUT))
    error = subprocess.run(
        [sys.executable, "-m", "lotsen.cli", "norm", "calculate", "--json"],
        input=E6_INPUT.replace(b'"2026-03"', b'"2024-03"'),
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert error.returncode == 3
    assert json.loads(error.stdout.decode("utf-8"))["error"]["code"] == "TABLE_NOT_FOUND"
