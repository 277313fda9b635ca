"""Waits the browser tests share."""

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait


def left_the_page(driver, element, timeout=10):
    """Wait until `element`, found on the page before a click, belongs to it no more: the
    answer page has replaced it. While the page is being replaced chromedriver may answer
    "Node with given id does not belong to the document" rather than a stale element; either
    says the old page is gone. Then wait for the new page to finish loading."""

    def gone(_driver):
        try:
            element.is_enabled()
        except WebDriverException:  # stale, or no longer in the document
            return True
        return False

    WebDriverWait(driver, timeout).until(gone)
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
