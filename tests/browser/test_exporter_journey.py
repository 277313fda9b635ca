"""A new company's whole journey on the exporter site, in chromium: it finds the front door,
registers, confirms its address with the link from the e-mail, is told its registration is
under review, is approved by an officer in the admin (and told so by e-mail), signs in, picks
a market, reads why a measure fits, and resets its forgotten password with the link from
another e-mail. Every page on the way has no WCAG 2.1 A/AA violation at a desktop's width
(1366 px) and a phone's (390 px)."""

import re
import time

import pytest
from django.core import mail
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from exporters.models import ExporterProfile, ExporterStatus
from exporters.services.registrations import verification_token
from tests.browser.waits import left_the_page
from tests.factories import (
    CountryFactory,
    ExporterProfileFactory,
    InitiativeFactory,
    ProductCategoryFactory,
    SupportMeasureFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
EMAIL = "export@minato.example.jp"
PASSWORD = "Kaisen-Umi-2026!"
NEW_PASSWORD = "Shiosai-no-Kaze-2027#"


@pytest.fixture
def catalogue(db):
    seafood = ProductCategoryFactory(code="seafood", order=0, name_ja="水産物", name_en="Seafood")
    ProductCategoryFactory(code="processed_food", order=1, name_ja="加工食品",
                           name_en="Processed food")
    markets = {iso2: CountryFactory(iso2=iso2, name_ja=name_ja, name_en=name_en)
               for iso2, name_ja, name_en in (("SG", "シンガポール", "Singapore"),
                                              ("HK", "香港", "Hong Kong"),
                                              ("TH", "タイ", "Thailand"))}
    SupportMeasureFactory(code="TH-SEAFOOD", name_ja="タイ水産物フェア",
                          product_categories=[seafood], target_markets=[markets["TH"]])
    return markets


@pytest.fixture
def reviewer(db):
    officer = UserFactory(role="officer")
    InitiativeFactory(code="FOOD-EXPORT", owner=officer, reviews_exporter_registrations=True)
    return officer


def accessibility_at_both_widths(page, where, *, screenshot=None):
    """The page's WCAG violations at 1366 px and at 390 px (each line says where), with a
    screenshot at each width when asked."""
    violations = []
    for width in (1366, 390):
        page.resize(width)
        violations += [f"{where} at {width}px: {line}"
                       for line in page.accessibility_violations()]
        if screenshot:
            page.screenshot(f"{screenshot}-{width}")
    page.resize(1366)
    return violations


def fill(driver, name, value):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def choose(driver, name, values):
    """Choose `values` in a multiple choice, whichever widget shows it (check boxes or a
    list), leaving the others unchosen."""
    fields = driver.find_elements(By.NAME, name)
    if fields[0].tag_name == "select":
        select = Select(fields[0])
        select.deselect_all()
        for value in values:
            select.select_by_value(str(value))
        return
    for box in fields:
        if box.is_selected() != (box.get_attribute("value") in {str(v) for v in values}):
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
            box.click()


def submit(driver):
    driver.find_element(By.CSS_SELECTOR, "main form [type=submit]").click()


def wait_for_path(driver, path):
    WebDriverWait(driver, 10).until(lambda driver: driver.current_url.split("?")[0].endswith(
        path))


def error_text(driver):
    """What the page says went wrong: a sign-in's message, or the form's errors."""
    return " ".join(element.text for element in driver.find_elements(
        By.CSS_SELECTOR, ".error, .errorlist"))


def mail_to(address, containing, *, already=0):
    """The newest e-mail to `address` with `containing` in its text, beyond the first
    `already` of them (the server thread sends it once its transaction commits)."""
    for _attempt in range(50):
        found = [m for m in mail.outbox if m.to == [address] and containing in m.body]
        if len(found) > already:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {address} with {containing}")


def link_in(message, pattern):
    return re.search(rf"https?://[^/\s]+({pattern})", message.body).group(1)


def sign_in(driver, username, password):
    fill(driver, "username", username)
    fill(driver, "password", password)
    submit(driver)


def approve_in_the_admin(page, officer, company_name):
    """The officer signs in to the admin, opens the registration from the home page, approves
    it and signs out."""
    driver = page.staff_sign_in(officer.username)
    waiting = driver.find_element(By.ID, "home-registrations")
    waiting.find_element(By.LINK_TEXT, company_name).click()
    WebDriverWait(driver, 10).until(lambda driver: driver.find_elements(By.NAME, "decision"))
    assert company_name in driver.find_element(By.ID, "content").text
    Select(driver.find_element(By.NAME, "decision")).select_by_value("approve")
    save = driver.find_element(By.NAME, "_save")
    save.click()
    left_the_page(driver, save)
    assert driver.find_elements(By.CSS_SELECTOR, ".messagelist .success")
    logout = driver.find_element(By.CSS_SELECTOR, "#logout-form [type=submit]")
    logout.click()
    left_the_page(driver, logout)


def test_a_new_company_registers_is_approved_picks_a_market_and_resets_its_password(
        page, catalogue, reviewer):
    violations = []
    driver = page.open("/")
    wait_for_path(driver, "/exporters/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    violations += accessibility_at_both_widths(page, "front door")

    # Registers.
    driver.find_element(By.CSS_SELECTOR, "a[href='/exporters/register/']").click()
    wait_for_path(driver, "/exporters/register/")
    violations += accessibility_at_both_widths(page, "registration")
    for name, value in (("company_name", "みなと水産加工株式会社"),
                        ("company_name_en", "Minato Seafood Processing"),
                        ("corporate_number", "７００００１２０５０００２"),
                        ("contact_name", "輸出 太郎"), ("email", EMAIL),
                        ("password1", PASSWORD), ("password2", PASSWORD)):
        fill(driver, name, value)
    Select(driver.find_element(By.NAME, "prefecture")).select_by_value("04")
    seafood = ProductCategoryFactory(code="seafood")
    choose(driver, "product_categories", [seafood.pk])
    choose(driver, "target_markets", [catalogue["SG"].pk])
    submit(driver)
    # Without consent: told so on the form, nothing registered.
    WebDriverWait(driver, 10).until(lambda driver: error_text(driver))
    assert not ExporterProfile.objects.exists()
    violations += accessibility_at_both_widths(page, "registration with an error")
    fill(driver, "password1", PASSWORD)
    fill(driver, "password2", PASSWORD)
    consent = driver.find_element(By.NAME, "consent")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", consent)
    consent.click()
    submit(driver)
    wait_for_path(driver, "/exporters/register/next/")
    assert EMAIL in driver.find_element(By.TAG_NAME, "main").text
    violations += accessibility_at_both_widths(page, "what happens next")
    profile = ExporterProfile.objects.get()
    assert profile.corporate_number == "7000012050002"

    # Confirms the address with the link in the e-mail.
    confirmation = mail_to(EMAIL, "/exporters/verify/")
    page.open(link_in(confirmation, r"/exporters/verify/[^/\s]+/"))
    assert "みなと水産加工株式会社" in driver.find_element(By.TAG_NAME, "main").text
    violations += accessibility_at_both_widths(page, "address confirmed")

    # Waits: signing in says the registration is under review.
    page.open("/exporters/login/")
    violations += accessibility_at_both_widths(page, "sign-in")
    sign_in(driver, EMAIL, PASSWORD)
    WebDriverWait(driver, 10).until(lambda driver: error_text(driver))
    assert "審査中" in error_text(driver)
    violations += accessibility_at_both_widths(page, "sign-in, under review")

    # Is approved by an officer of the programme, in the admin: the registration waits on
    # the officer's home page; the decision is taken on its page; the company is told.
    approve_in_the_admin(page, reviewer, "みなと水産加工株式会社")
    approved = ExporterProfile.objects.get()
    assert (approved.status, approved.reviewed_by) == (ExporterStatus.APPROVED, reviewer)
    approval = mail_to(EMAIL, "みなと水産加工株式会社")
    assert "承認されました" in approval.subject
    assert "/exporters/" in approval.body

    # Signs in, and picks Thailand as a market on the profile.
    page.open("/exporters/login/")
    sign_in(driver, EMAIL, PASSWORD)
    wait_for_path(driver, "/exporters/")
    assert "タイ水産物フェア" not in driver.find_element(By.TAG_NAME, "main").text
    page.open("/exporters/profile/")
    violations += accessibility_at_both_widths(page, "profile")
    choose(driver, "target_markets", [catalogue["SG"].pk, catalogue["TH"].pk])
    submit(driver)
    WebDriverWait(driver, 10).until(lambda driver: driver.find_elements(
        By.CSS_SELECTOR, ".messages"))  # "saved"
    assert {c.iso2 for c in ExporterProfile.objects.get().target_markets.all()} == {"SG", "TH"}

    # Reads why the measure for Thailand fits.
    page.open("/exporters/")
    card = next(card for card in driver.find_elements(By.CSS_SELECTOR, "main .card")
                if "タイ水産物フェア" in card.text)
    why = card.find_element(By.CSS_SELECTOR, ".facts").text  # why it fits
    assert "タイ" in why and "水産物" in why  # in words, not codes
    assert not re.search(r"\b(TH|seafood)\b", why)
    violations += accessibility_at_both_widths(page, "measures")

    # Signs out, forgets the password and sets a new one from the e-mailed link.
    driver.find_element(By.CSS_SELECTOR, "header form [type=submit]").click()
    wait_for_path(driver, "/exporters/login/")
    driver.find_element(By.CSS_SELECTOR, "a[href='/exporters/password-reset/']").click()
    wait_for_path(driver, "/exporters/password-reset/")
    violations += accessibility_at_both_widths(page, "password reset")
    fill(driver, "email", EMAIL.upper())
    submit(driver)
    wait_for_path(driver, "/exporters/password-reset/sent/")
    violations += accessibility_at_both_widths(page, "reset link sent")
    reset = mail_to(EMAIL, "/exporters/password-reset/")
    page.open(link_in(reset, r"/exporters/password-reset/[^/\s]+/[^/\s]+/"))
    wait_for_path(driver, "/set-password/")
    violations += accessibility_at_both_widths(page, "new password")
    fill(driver, "new_password1", NEW_PASSWORD)
    fill(driver, "new_password2", NEW_PASSWORD)
    submit(driver)
    wait_for_path(driver, "/exporters/password-reset/done/")
    violations += accessibility_at_both_widths(page, "password set")

    page.open("/exporters/login/")
    sign_in(driver, EMAIL, NEW_PASSWORD)
    wait_for_path(driver, "/exporters/")
    assert "タイ水産物フェア" in driver.find_element(By.TAG_NAME, "main").text
    assert page.violations() == []
    assert violations == []


@pytest.mark.screenshots
def test_the_exporter_account_pages_at_a_desktops_width_and_a_phones(page, catalogue):
    """Each of the pages, for people to look at (make screenshots), and for axe-core."""
    violations = []
    waiting = ExporterProfileFactory(company_name="やまびこ茶園株式会社",
                                     status=ExporterStatus.PENDING_VERIFICATION)
    rejected = ExporterProfileFactory(status=ExporterStatus.REJECTED,
                                      rejection_reason="法人番号と会社名が一致しません")
    approved = ExporterProfileFactory(company_name="みなと水産加工株式会社",
                                      target_markets=[catalogue["TH"]])
    for path, name in (("/exporters/", "exporter-front-door"),
                       ("/exporters/register/", "exporter-register"),
                       ("/exporters/register/next/", "exporter-registered"),
                       ("/exporters/data-use/", "exporter-data-use"),
                       ("/exporters/password-reset/", "exporter-password-reset"),
                       ("/exporters/password-reset/sent/", "exporter-password-reset-sent"),
                       ("/exporters/password-reset/done/", "exporter-password-reset-done")):
        page.open(path)
        violations += accessibility_at_both_widths(page, path, screenshot=name)
    driver = page.driver
    page.open("/exporters/register/")
    submit(driver)
    WebDriverWait(driver, 10).until(lambda driver: error_text(driver))
    violations += accessibility_at_both_widths(page, "register, empty",
                                               screenshot="exporter-register-errors")
    page.open(f"/exporters/verify/{verification_token(waiting)}/")
    violations += accessibility_at_both_widths(page, "verify", screenshot="exporter-verified")
    for profile, name in ((rejected, "rejected"), (approved, "wrong-password")):
        page.open("/exporters/login/")
        sign_in(driver, profile.user.email,
                "secret-pass-2026" if name == "rejected" else "not-the-password-1")
        WebDriverWait(driver, 10).until(lambda driver: error_text(driver))
        violations += accessibility_at_both_widths(page, f"sign-in, {name}",
                                                   screenshot=f"exporter-sign-in-{name}")
    sign_in(driver, approved.user.email, "secret-pass-2026")
    wait_for_path(driver, "/exporters/")
    page.open("/exporters/profile/")
    violations += accessibility_at_both_widths(page, "profile", screenshot="exporter-profile")
    assert page.violations() == []
    assert violations == []
