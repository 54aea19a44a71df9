"""Browser fixtures: core's `page` (Debian's Chromium, desktop and phone widths) on a browser of our own.

The test database is created before Chromium starts: Playwright's sync API runs an event loop in
the test thread, and Django refuses to create the database from a thread with a running loop. The
browser is module-scoped, so it is closed before another directory's journeys start theirs
(Playwright's sync API allows one running instance per thread)."""

import os
import shutil

import pytest

from carelead.core.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, page  # noqa: F401


@pytest.fixture(scope="module")
def browser(django_db_setup):
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")  # fail, never skip
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
