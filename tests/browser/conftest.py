"""The pages in a real browser: Debian's chromium, driven by its chromedriver through Selenium,
against Django's live server. `make browser` installs both (CI does, through .ci/run); where
they are missing these tests skip, except under CI, where that is a failure.

`page.accessibility_violations()` runs axe-core's WCAG 2.1 A/AA rules on the page as shown, and
`page.screenshot(name)` saves a PNG: into $SCREENSHOTS_DIR when `make screenshots` asks for
them, else into the test's temporary folder (so the rendering is exercised either way).

Every page records the Content-Security-Policy violations the browser reports
(`securitypolicyviolation` events, collected by a script the driver adds before the page's
own), so a test can assert that the page works under the policy, not only that it sends it."""

import os
import shutil
import tempfile

import pytest

from tests.browser.accessibility import axe_violations

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
FACTORY_PASSWORD = "secret-pass-2026"  # every factory user's
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
def page(browser, live_server, screenshot_dir):
    """Open a path of the live server; `page.violations()` lists what the policy blocked."""

    class Page:
        driver = browser

        def open(self, path):
            browser.get(live_server.url + path)
            return browser

        def violations(self):
            return browser.execute_script("return window.__cspViolations || []")

        def accessibility_violations(self, **options):
            return axe_violations(browser, **options)

        def staff_sign_in(self, username, password=FACTORY_PASSWORD, path="/admin/"):
            """Sign in on the staff site and land on `path`."""
            from selenium.webdriver.common.by import By
            from selenium.webdriver.support.ui import WebDriverWait

            browser.get(f"{live_server.url}/admin/login/?next={path}")
            browser.find_element(By.NAME, "username").send_keys(username)
            browser.find_element(By.NAME, "password").send_keys(password)
            # The sign-in form's button, not the header's language switch.
            browser.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()
            WebDriverWait(browser, 10).until(lambda driver: "/login/" not in driver.current_url)
            return browser

        def resize(self, width, height=900):
            browser.set_window_size(width, height)

        def screenshot(self, name, *, full_page=True):
            """Save the page as `<name>.png` (the whole height when full_page) and return it."""
            path = screenshot_dir / f"{name}.png"
            size = browser.get_window_size()
            if full_page:
                # The window's height counts the browser's own bars too: add them.
                height = browser.execute_script(
                    "return document.documentElement.scrollHeight"
                    " + window.outerHeight - window.innerHeight")
                browser.set_window_size(size["width"], max(height, size["height"]))
            browser.save_screenshot(str(path))
            browser.set_window_size(size["width"], size["height"])
            return path

    browser.delete_all_cookies()
    browser.set_window_size(1366, 900)
    return Page()
