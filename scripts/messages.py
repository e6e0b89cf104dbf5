"""Maintain the Swedish gettext catalogues (English msgids, Swedish msgstr).

    python scripts/messages.py APP [--fill FILE.json] [--check]

APP is an app under lotsen/ with its own catalogue (lotsen/APP/locale/sv/LC_MESSAGES/django.po), or
"foundation" for lotsen/locale (core, accounts, people, audit, policies, demo). The command extracts the
msgids (django makemessages, merged with what is there), fills msgstr from FILE.json when given
({"msgid": "msgstr"} or {"msgid": ["singular", "plural"]}), and lists untranslated msgids (--check: exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
LOTSEN = ROOT / "lotsen"
DJANGO_ADMIN = Path(sys.executable).parent / "django-admin"


def apps_with_own_catalogue() -> list[str]:
    return sorted(p.parent.name for p in LOTSEN.glob("*/locale") if p.is_dir())


def catalogue(app: str) -> tuple[Path, Path]:
    if app == "foundation":
        return ROOT, LOTSEN / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    return LOTSEN / app, LOTSEN / app / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def extract(app: str) -> None:
    cwd, _po = catalogue(app)
    args = [str(DJANGO_ADMIN), "makemessages", "-l", "sv", "--no-location", "--no-obsolete"]
    if app == "foundation":
        ignored = ["node_modules/*", ".venv/*", "var/*", "tests/*", "bench/*", "scripts/*"]
        ignored += [f"lotsen/{other}/*" for other in apps_with_own_catalogue()]
        for pattern in ignored:
            args += ["-i", pattern]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def fill(po_path: Path, translations: dict[str, str | list[str]]) -> list[str]:
    po = polib.pofile(str(po_path))
    po.metadata.update(
        {"Language": "sv", "Plural-Forms": "nplurals=2; plural=(n != 1);", "Content-Type": "text/plain; charset=UTF-8"}
    )
    missing = []
    for entry in po:
        if "fuzzy" in entry.flags:
            # msgmerge's guess from a similar msgid: never trust it, translate anew.
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = None
            entry.msgstr = ""
            entry.msgstr_plural = {0: "", 1: ""} if entry.msgid_plural else {}
        value = translations.get(entry.msgid)
        if entry.msgid_plural:
            if isinstance(value, list):
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            if not entry.msgstr_plural.get(0) or not entry.msgstr_plural.get(1):
                missing.append(entry.msgid)
        else:
            if isinstance(value, str):
                entry.msgstr = value
            if not entry.msgstr:
                missing.append(entry.msgid)
    po.save()
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("app")
    parser.add_argument("--fill", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    _cwd, po_path = catalogue(args.app)
    po_path.parent.mkdir(parents=True, exist_ok=True)
    extract(args.app)
    translations = json.loads(args.fill.read_text(encoding="utf-8")) if args.fill else {}
    missing = fill(po_path, translations)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    subprocess.run(["msgfmt", "--check-format", "-o", str(po_path.with_suffix(".mo")), str(po_path)], check=True)
    return 1 if (missing and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
