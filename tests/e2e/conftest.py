"""Browser tests: Python Playwright with Debian's Chromium and axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }  # fmt: skip


@pytest.fixture
def axe_check():
    def _check(page, name: str, widths=(1280, 375)):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            result = Axe().run(page, options=WCAG)
            assert result.violations_count == 0, result.generate_report()
            overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
            assert not overflow, f"horizontal scroll at {width}px on {name}"
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)

    return _check


@pytest.fixture
def browser_login(live_server):
    def _login(page, user, password="test-password-123"):
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login
