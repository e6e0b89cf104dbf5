"""The worked examples of riksnorm.md section 6 as golden tests (section 7.5).

Every ``golden/<id>.input.json`` is run through the Python API, the CLI's ``main`` and the CLI as a
subprocess; the normative part of each result must equal ``expected`` in ``golden/<id>.expected.json``.
The ``golden/`` files are a copy of ``../shared/domain/riksnorm/examples/``; the shipped tables are a copy of
``../shared/domain/riksnorm/riksnorm-*.json``. Both copies are checked against the originals when the shared
directory is present.
"""

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
SHARED_RIKSNORM = REPO_ROOT.parent / "shared" / "domain" / "riksnorm"
EXAMPLE_IDS = sorted(p.name.removesuffix(".input.json") for p in GOLDEN_DIR.glob("*.input.json"))
# Section 6: E1-E11, E10 split into March (E10a) and April (E10b).
SECTION_6_IDS = sorted([*(f"E{i}" for i in range(1, 12) if i != 10), "E10a", "E10b"])


def load_example(example_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    data = json.loads((GOLDEN_DIR / f"{example_id}.input.json").read_text(encoding="utf-8"))
    golden = json.loads((GOLDEN_DIR / f"{example_id}.expected.json").read_text(encoding="utf-8"))
    assert golden["schema"] == "lotsen.norm.golden/1"
    assert golden["example"] == example_id
    return data, golden["expected"]


def golden_projection(result: dict[str, Any]) -> dict[str, Any]:
    """The normative part of a result, in the layout of ``lotsen.norm.golden/1`` (7.5)."""
    return {
        "table_year": result["table"]["year"],
        "table_version": result["table"]["table_version"],
        "unverified_values_used": result["table"]["unverified_values_used"],
        "household": result["household"],
        "norm_lines": [
            {key: line[key] for key in ("code", "member_ids", "amount", "table_ref", "unverified")}
            for line in result["norm_lines"]
        ],
        "norm_total": result["norm_total"],
        "reasonable_costs_total": result["reasonable_costs_total"],
        "other_needs_total": result["other_needs_total"],
        "need_total": result["need_total"],
        "income_lines": [
            {key: line[key] for key in ("member_id", "type", "amount", "excluded", "counted", "exclusion")}
            for line in result["income_lines"]
        ],
        "income_counted_total": result["income_counted_total"],
        "entitlement": result["entitlement"],
        "surplus": result["surplus"],
        "jobbstimulans": result["jobbstimulans"],
        "warning_codes": [warning["code"] for warning in result["warnings"]],
        "settings": result["settings"],
    }


def test_every_worked_example_has_a_golden_pair() -> None:
    assert EXAMPLE_IDS == SECTION_6_IDS
    assert sorted(p.name for p in GOLDEN_DIR.glob("*.json")) == sorted(
        f"{example_id}.{kind}.json" for example_id in SECTION_6_IDS for kind in ("input", "expected")
    )


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_golden_python_api(example_id: str) -> None:
    data, expected = load_example(example_id)
    result = calculate(data)
    assert golden_projection(result) == expected
    # The projection must not hide anything: same key order as the golden layout, exactly.
    assert list(golden_projection(result)) == list(expected)


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_golden_cli_main(example_id: str) -> None:
    data, expected = load_example(example_id)
    stdin = io.StringIO((GOLDEN_DIR / f"{example_id}.input.json").read_text(encoding="utf-8"))
    stdout, stderr = io.StringIO(), io.StringIO()
    assert cli.main(["calculate", "--json"], stdin=stdin, stdout=stdout, stderr=stderr) == 0
    assert stderr.getvalue() == ""
    result = json.loads(stdout.getvalue())
    assert golden_projection(result) == expected
    assert result == calculate(data)


@pytest.mark.parametrize("example_id", EXAMPLE_IDS)
def test_golden_cli_subprocess(example_id: str) -> None:
    _, expected = load_example(example_id)
    completed = subprocess.run(
        [sys.executable, "-m", "lotsen.cli", "norm", "calculate", "--json"],
        input=(GOLDEN_DIR / f"{example_id}.input.json").read_bytes(),
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    assert golden_projection(json.loads(completed.stdout.decode("utf-8"))) == expected


def _same_files(copy_dir: Path, original_dir: Path, pattern: str) -> None:
    copies = {p.name: p.read_bytes() for p in copy_dir.glob(pattern)}
    originals = {p.name: p.read_bytes() for p in original_dir.glob(pattern)}
    assert sorted(copies) == sorted(originals)
    for name, content in originals.items():
        assert copies[name] == content, f"{copy_dir / name} differs from {original_dir / name}"


def test_golden_copy_equals_shared_examples() -> None:
    """The copy in tests/assistance/golden is byte-identical to ../shared (when that checkout is present)."""
    shared_examples = SHARED_RIKSNORM / "examples"
    if shared_examples.is_dir():
        _same_files(GOLDEN_DIR, shared_examples, "*.json")
    else:  # a checkout without ../shared: the copy must at least be complete and well-formed
        for example_id in EXAMPLE_IDS:
            load_example(example_id)
        assert EXAMPLE_IDS


def test_shipped_tables_equal_shared_tables() -> None:
    """The package's data/riksnorm is byte-identical to ../shared (when that checkout is present)."""
    if SHARED_RIKSNORM.is_dir():
        _same_files(DEFAULT_TABLE_DIR, SHARED_RIKSNORM, "riksnorm-*.json")
    else:
        assert sorted(p.name for p in DEFAULT_TABLE_DIR.glob("riksnorm-*.json"))


def test_e6_full_output_equals_the_spec_example_pair() -> None:
    """Section 7.4 prints E6's whole result, labels and basis texts included; the engine must reproduce it."""
    spec = SHARED_RIKSNORM.parent / "riksnorm.md"
    result = calculate(load_example("E6")[0])
    if spec.is_file():
        section = spec.read_text(encoding="utf-8").split("### 7.4", 1)[1].split("Output (exit 0):", 1)[1]
        example = json.loads(section.split("```json", 1)[1].split("```", 1)[0])
        assert example.pop("engine_version") and result.pop("engine_version")
        assert result == example
    else:  # without ../shared: the golden projection still holds
        assert golden_projection(result) == load_example("E6")[1]
