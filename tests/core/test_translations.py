"""Every catalogue is complete: the UI is Swedish, with English msgids."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("lotsen/**/locale/sv/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert (ROOT / "lotsen/locale/sv/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path.name}: {fuzzy[:10]}"
