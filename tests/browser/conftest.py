"""The pages in a real browser: Debian's chromium, driven by its chromedriver through Selenium,
against Django's live server. `make browser` installs both (CI does, through .ci/run); where
they are missing these tests skip, except under CI, where that is a failure.

Every page records the Content-Security-Policy violations the browser reports
(`securitypolicyviolation` events, collected by a script the driver adds before the page's
own), so a test can assert that the page works under the policy, not only that it sends it."""

import os
import shutil
import tempfile

import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", event => window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
"""


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = "needs Debian's chromium and chromium-driver (make browser installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # As this machine's closed network wants: no background connections, no sandbox as root.
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1366,900",
                     "--lang=ja", f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}"):
        options.add_argument(argument)
    # Japanese first, as the ministry's browsers ask.
    options.add_experimental_option("prefs", {"intl.accept_languages": "ja,en"})
    # The driver given by path: Selenium must not look for (or download) one of its own.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, live_server):
    """Open a path of the live server; `page.violations()` lists what the policy blocked."""

    class Page:
        driver = browser

        def open(self, path):
            browser.get(live_server.url + path)
            return browser

        def violations(self):
            return browser.execute_script("return window.__cspViolations || []")

    browser.delete_all_cookies()
    return Page()
