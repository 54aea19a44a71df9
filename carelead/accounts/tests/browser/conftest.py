"""Browser fixtures for the account pages: the core journeys' `page`, on a browser of our own.

The browser is module-scoped, so it is closed before the core journeys start theirs (Playwright's
sync API allows one running instance per thread).
"""

import os
import shutil

import pytest

from carelead.core.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, page  # noqa: F401


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")  # fail, never skip
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
