"""The exporter pages meet JIS X 8341-3:2016 AA (WCAG 2.x AA) as axe-core checks them in
chromium: zero violations of its wcag2a/2aa/21a/21aa rules on every page and error state, on
a desktop (1366 px) and a phone (390 px); and profile editing works by keyboard alone.

A new exporter page is checked by adding its path to PUBLIC_PAGES or SIGNED_IN_PAGES (or its
error state to ERROR_STATES)."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from exporters.models import ExporterProfile, ExporterStatus
from programs.models import Notification, ProductCategory, ReminderKind, SupportMeasure
from tests.browser.waits import left_the_page
from tests.factories import (
    CountryFactory,
    ExporterProfileFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    RegionFactory,
    SupportMeasureFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
PASSWORD = "secret-pass-2026"  # every factory user's password
WIDTHS = (1366, 390)

# Pages anyone can open, and pages of a signed-in exporter.
PUBLIC_PAGES = ["/exporters/", "/exporters/login/", "/exporters/register/",
                "/exporters/register/next/", "/exporters/data-use/",
                "/exporters/password-reset/", "/exporters/password-reset/sent/",
                "/exporters/password-reset/done/"]
SIGNED_IN_PAGES = ["/exporters/", "/exporters/?category=seafood", "/exporters/profile/",
                   "/exporters/profile/two-factor/", "/exporters/password/"]


@pytest.fixture
def company(db):
    """A seafood processor for Singapore and Hong Kong, with measures that fit and a notice."""
    asia = RegionFactory(code="ASIA_PACIFIC", order=1, name_ja="アジア大洋州",
                         name_en="Asia-Pacific")
    singapore = CountryFactory(iso2="SG", name_ja="シンガポール", name_en="Singapore",
                               region=asia)
    CountryFactory(iso2="TH", name_ja="タイ", name_en="Thailand", region=asia)
    hong_kong = CountryFactory(iso2="HK", name_ja="香港", name_en="Hong Kong", region=None)
    CountryFactory(iso2="JP", name_ja="日本", name_en="Japan", region=None)
    seafood = ProductCategoryFactory(code="seafood", order=1, name_ja="水産物",
                                     name_en="Seafood")
    ProductCategoryFactory(code="processed_food", order=2, name_ja="加工食品",
                           name_en="Processed food")
    jetro = OrganisationFactory(code="JETRO", name_ja="日本貿易振興機構",
                                name_en="Japan External Trade Organization",
                                abbreviation="JETRO")
    profile = ExporterProfileFactory(company_name="みなと水産加工株式会社",
                                     product_categories=[seafood],
                                     target_markets=[singapore, hong_kong])
    fair = SupportMeasureFactory(
        code="SG-FAIR", kind="promotion", name_ja="シンガポール水産物商談会",
        name_en="Singapore seafood trade fair", provider=jetro,
        description_ja="シンガポールの輸入業者との商談会。水産物の輸出を目指す事業者向け。",
        summary_ja="商談会*を開催\n* 水産物", url="https://www.jetro.go.jp/",
        contact="JETRO 農林水産・食品部 03-0000-0000",
        opens_on=timezone.localdate(), closes_on=timezone.localdate().replace(year=2099),
        product_categories=[seafood], target_markets=[singapore])
    SupportMeasureFactory(code="GUIDE", kind="guidebook", name_ja="農林水産・食品支援ガイドブック")
    Notification.objects.create(
        recipient=profile.user, kind=ReminderKind.NEW_SUPPORT_MEASURE,
        title="御社向けの支援施策：シンガポール水産物商談会", body="…",
        subject_type_id=_content_type_id(SupportMeasure), subject_id=fair.pk)
    return profile


def _content_type_id(model):
    from django.contrib.contenttypes.models import ContentType
    return ContentType.objects.get_for_model(model).pk


def sign_in(page, username, password=PASSWORD, *, succeeds=True):
    driver = page.open("/exporters/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    button = driver.find_element(By.CSS_SELECTOR, "main form [type=submit]")
    button.click()
    if succeeds:  # wait until the browser has left the sign-in page
        WebDriverWait(driver, 10).until(lambda d: "/login/" not in d.current_url)
    else:
        # Wait for the answer page: opening another page before it has come would cancel
        # this attempt, which the lockout would then never count.
        left_the_page(driver, button)
    return driver


def in_english(page):
    page.driver.add_cookie({"name": "django_language", "value": "en"})


def assert_accessible(page, where):
    for width in WIDTHS:
        page.resize(width)
        assert page.accessibility_violations() == [], f"{where} at {width} px"
        assert page.violations() == [], f"{where} at {width} px (CSP)"
    page.resize(WIDTHS[0])


def submit_profile_with_errors(page):
    driver = page.open("/exporters/profile/")
    driver.find_element(By.ID, "id_company_name").clear()
    for box in driver.find_elements(By.CSS_SELECTOR, "[name=product_categories]:checked"):
        box.click()
    driver.find_element(By.CSS_SELECTOR, "main form button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "error-summary"))


def wrong_password(page):
    driver = sign_in(page, "nobody@example.jp", "wrong-password-2026", succeeds=False)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error"))


def blank_name(page):
    driver = sign_in(page, "   ", "not-the-password-1", succeeds=False)
    # Told beside the field, in the element its aria-describedby names.
    name = driver.find_element(By.ID, "id_username")
    assert driver.find_element(By.ID, name.get_attribute("aria-describedby")).text


def sign_in_refused(status, **fields):
    """Signing in with the right password of a registration in `status` (its page says why
    not)."""
    def reach(page):
        profile = ExporterProfileFactory(status=status, **fields)
        driver = sign_in(page, profile.user.email, succeeds=False)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error"))
    return reach


def locked_out(page):
    name = "locked@example.jp"
    for _attempt in range(LOCKOUT_AFTER + 1):
        sign_in(page, name, "wrong-password-2026", succeeds=False)
    error = page.driver.find_element(By.CSS_SELECTOR, ".error").text
    assert "locked" in error or "分間ログインできません" in error.replace("\n", "")


def register_empty(page):
    driver = page.open("/exporters/register/")
    driver.find_element(By.CSS_SELECTOR, "main form button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "error-summary"))


def register_bad_corporate_number(page):
    driver = page.open("/exporters/register/")
    driver.find_element(By.NAME, "corporate_number").send_keys("1000012050002")
    driver.find_element(By.CSS_SELECTOR, "main form button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "error-summary"))


def reset_link_used(page):
    page.open("/exporters/password-reset/MQ/used-token/")


def reset_mismatched_passwords(page):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = ExporterProfileFactory().user
    driver = page.open(f"/exporters/password-reset/{urlsafe_base64_encode(force_bytes(user.pk))}"
                       f"/{default_token_generator.make_token(user)}/")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.NAME, "new_password1"))
    assert_accessible(page, "new password")
    driver.find_element(By.NAME, "new_password1").send_keys("Shiosai-no-Kaze-2027#")
    driver.find_element(By.NAME, "new_password2").send_keys("Shiosai-no-Kaze-2028#")
    driver.find_element(By.CSS_SELECTOR, "main form button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "error-summary"))


def confirmation_link_broken(page):
    page.open("/exporters/verify/not-a-token/")


def wrong_current_password(page):
    driver = page.open("/exporters/password/")
    driver.find_element(By.NAME, "old_password").send_keys("not-the-password-1")
    driver.find_element(By.NAME, "new_password1").send_keys("Shiosai-no-Kaze-2027#")
    driver.find_element(By.NAME, "new_password2").send_keys("Shiosai-no-Kaze-2027#")
    driver.find_element(By.CSS_SELECTOR, "main form button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "error-summary"))


def wrong_two_factor_code(page):
    driver = page.open("/exporters/profile/two-factor/")
    driver.find_element(By.NAME, "code").send_keys("000000")
    driver.find_element(By.CSS_SELECTOR, "main form [type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".errorlist"))


# Error states: (name, whether signed in, how to reach it).
LOCKOUT_AFTER = 2  # wrong passwords (AXES_FAILURE_LIMIT, set so by the test)
ERROR_STATES = [
    ("sign-in, wrong password", False, wrong_password),
    ("sign-in, blank name", False, blank_name),
    ("sign-in, e-mail not confirmed", False,
     sign_in_refused(ExporterStatus.PENDING_VERIFICATION)),
    ("sign-in, under review (審査中)", False, sign_in_refused(ExporterStatus.PENDING_APPROVAL)),
    ("sign-in, not approved", False, sign_in_refused(
        ExporterStatus.REJECTED, rejection_reason="法人番号と会社名が一致しません")),
    ("sign-in, locked out", False, locked_out),
    ("registration, nothing filled in", False, register_empty),
    ("registration, wrong corporate number", False, register_bad_corporate_number),
    ("e-mail confirmation, broken link", False, confirmation_link_broken),
    ("password reset, used link", False, reset_link_used),
    ("password reset, passwords differ", False, reset_mismatched_passwords),
    ("profile, missing fields", True, submit_profile_with_errors),
    ("password change, wrong current password", True, wrong_current_password),
    ("two-factor set-up, wrong code", True, wrong_two_factor_code)]


def confirm_an_address(page):
    """The page a confirmation link opens."""
    from exporters.services.registrations import verification_token

    waiting = ExporterProfileFactory(company_name="やまびこ茶園株式会社",
                                     company_name_en="Yamabiko Tea Garden Co., Ltd.",
                                     status=ExporterStatus.PENDING_VERIFICATION)
    driver = page.open(f"/exporters/verify/{verification_token(waiting)}/")
    # By its English name on the English page; never "Ltd.." at a sentence's end.
    text = driver.find_element(By.TAG_NAME, "main").text
    english = driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert (waiting.company_name_en if english else waiting.company_name) in text
    assert ".." not in text


def ask_to_close_the_account(page):
    """The closure's own page, then the profile's data and closure sections once the
    closure is asked for there."""
    driver = page.open("/exporters/profile/")
    driver.find_element(By.CSS_SELECTOR, "a[href$='/profile/close/']").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "form[action$='/close/'] button"))
    assert page.accessibility_violations() == []
    driver.find_element(By.CSS_SELECTOR, "form[action$='/close/'] button").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messages"))


# Other states of a page: (name, whether signed in, how to reach it).
OTHER_STATES = [("e-mail confirmed", False, confirm_an_address),
                ("profile, closure asked", True, ask_to_close_the_account)]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_exporter_page_has_no_accessibility_violation(page, company, language, settings):
    settings.AXES_FAILURE_LIMIT = LOCKOUT_AFTER
    page.open("/exporters/login/")
    if language == "en":
        in_english(page)
    for path in PUBLIC_PAGES:
        page.open(path)
        assert page.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        assert_accessible(page, path)
    for name, signed_in, reach in ERROR_STATES:
        if not signed_in:
            reach(page)
            assert page.driver.title.startswith(("エラー", "Error")), name
            assert_accessible(page, name)
    for name, signed_in, reach in OTHER_STATES:
        if not signed_in:
            reach(page)
            assert_accessible(page, name)
    driver = sign_in(page, company.user.username)
    for path in SIGNED_IN_PAGES:
        page.open(path)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        assert_accessible(page, path)
    for name, signed_in, reach in ERROR_STATES:
        if signed_in:
            reach(page)
            assert page.driver.title.startswith(("エラー", "Error")), name
            assert_accessible(page, name)
    for name, signed_in, reach in OTHER_STATES:
        if signed_in:
            reach(page)
            assert_accessible(page, name)


def test_profile_errors_are_listed_above_the_form_and_tied_to_their_fields(page, company):
    sign_in(page, company.user.username)
    submit_profile_with_errors(page)
    driver = page.driver
    summary_links = driver.find_elements(By.CSS_SELECTOR, "#error-summary a")
    assert len(summary_links) == 2
    name = driver.find_element(By.ID, "id_company_name")
    described = name.get_attribute("aria-describedby").split()
    assert driver.find_element(By.ID, described[0]).text  # the message beside the field
    assert name.get_attribute("aria-invalid") == "true"
    categories = driver.find_element(
        By.XPATH, "//fieldset[.//input[@name='product_categories']]")
    assert "品目区分" in categories.find_element(By.TAG_NAME, "legend").text
    error_id = categories.get_attribute("aria-describedby")
    assert driver.find_element(By.ID, error_id).is_displayed()
    # Following the summary's link to the boxes moves the focus to their group, whose
    # legend a screen reader then reads.
    driver.find_element(By.CSS_SELECTOR, "#error-summary a[href$='_group']").click()
    assert driver.switch_to.active_element == categories


def test_the_market_filter_box_narrows_the_list_and_keeps_the_choice(page, company):
    driver = sign_in(page, company.user.username)
    page.open("/exporters/profile/")
    markets = driver.find_element(By.ID, "id_target_markets")
    labels = [label.text for label in markets.find_elements(By.CSS_SELECTOR, "li label")]
    assert "日本" not in labels and "シンガポール" in labels
    assert "シンガポール" in driver.find_element(By.ID, "id_target_markets_picked").text
    box = driver.find_element(By.ID, "id_target_markets_filter")
    box.send_keys("thai")
    visible = [label.text for label in markets.find_elements(By.CSS_SELECTOR, "li label")
               if label.is_displayed()]
    assert visible == ["タイ"]
    driver.find_element(By.XPATH, "//label[normalize-space()='タイ']").click()
    assert "タイ" in driver.find_element(By.ID, "id_target_markets_picked").text
    driver.find_element(By.CSS_SELECTOR, "main form button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messages"))
    assert {c.iso2 for c in ExporterProfile.objects.get(pk=company.pk).target_markets.all()} == {
        "SG", "HK", "TH"}


def press(driver, *keys):
    actions = ActionChains(driver)
    for key in keys:
        actions.send_keys(key)
    actions.perform()


def tab_to(driver, element_id, limit=120):
    """Press Tab until the element has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if driver.switch_to.active_element.get_attribute("id") == element_id:
            return
        press(driver, Keys.TAB)
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_company_edits_its_profile_with_the_keyboard_alone(page, company):
    driver = page.open("/exporters/login/")
    tab_to(driver, "id_username")
    press(driver, company.user.username)
    tab_to(driver, "id_password")
    press(driver, PASSWORD, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "/login/" not in d.current_url)
    page.open("/exporters/profile/")
    # The first Tab reaches the skip link, whose Enter passes the menu.
    press(driver, Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("class") == "skip-link"
    press(driver, Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("id") == "main"
    tab_to(driver, "id_contact_name")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
    press(driver, "輸出 次郎")
    # A category by Space, a market through the filter box then Space.
    processed_food = ProductCategory.objects.get(code="processed_food")
    processed = driver.find_element(
        By.CSS_SELECTOR, f"[name=product_categories][value='{processed_food.pk}']")
    tab_to(driver, processed.get_attribute("id"))
    press(driver, Keys.SPACE)
    tab_to(driver, "id_target_markets_filter")
    press(driver, "タイ")
    press(driver, Keys.TAB)
    thailand = driver.switch_to.active_element
    assert thailand.get_attribute("data-search").endswith("TH")
    press(driver, Keys.SPACE)
    # Enter in the filter box does not send the form; Enter on the button does.
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert driver.switch_to.active_element.get_attribute("id") == "id_target_markets_filter"
    press(driver, Keys.ENTER)
    assert "/exporters/profile/" in driver.current_url
    assert not driver.find_elements(By.CSS_SELECTOR, ".messages")
    for _ in range(60):
        press(driver, Keys.TAB)
        if driver.switch_to.active_element.get_attribute("class") == "primary":
            break
    press(driver, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messages"))
    saved = ExporterProfile.objects.get(pk=company.pk)
    assert saved.contact_name == "輸出 次郎"
    assert {c.code for c in saved.product_categories.all()} == {"seafood", "processed_food"}
    assert {c.iso2 for c in saved.target_markets.all()} == {"SG", "HK", "TH"}


def test_a_company_registers_with_the_keyboard_alone(page, company):
    driver = page.open("/exporters/")
    for _ in range(10):  # past the skip link to the front door's register button
        press(driver, Keys.TAB)
        if (driver.switch_to.active_element.get_attribute("href") or "").endswith("/register/"):
            break
    press(driver, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/exporters/register/"))
    for field, typed in (("id_company_name", "やまびこ茶園株式会社"),
                         ("id_corporate_number", "7000012050002"),
                         ("id_prefecture", "静岡県"),
                         ("id_contact_name", "山田 花子"),
                         ("id_email", "tea@yamabiko.example.jp"),
                         ("id_password1", "Yamabiko-Cha-2026!"),
                         ("id_password2", "Yamabiko-Cha-2026!")):
        tab_to(driver, field)
        press(driver, typed)
    # A category by Space; a market through the filter box, then Space.
    tab_to(driver, "id_product_categories_1")
    press(driver, Keys.SPACE)
    tab_to(driver, "id_target_markets_filter")
    press(driver, "singapore", Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("data-search").endswith("SG")
    press(driver, Keys.SPACE)
    # Back to the filter box by Shift+Tab: Enter there does not send the form.
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    press(driver, Keys.ENTER)
    assert not ExporterProfile.objects.filter(user__email="tea@yamabiko.example.jp").exists()
    tab_to(driver, "id_consent")
    press(driver, Keys.SPACE)
    for _ in range(10):
        press(driver, Keys.TAB)
        if driver.switch_to.active_element.get_attribute("class") == "primary":
            break
    press(driver, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/register/next/"))
    profile = ExporterProfile.objects.get(user__email="tea@yamabiko.example.jp")
    assert (profile.company_name, profile.corporate_number, profile.prefecture,
            profile.contact_name) == ("やまびこ茶園株式会社", "7000012050002", "22", "山田 花子")
    assert [c.code for c in profile.product_categories.all()] == ["processed_food"]
    assert [c.iso2 for c in profile.target_markets.all()] == ["SG"]
    assert profile.status == ExporterStatus.PENDING_VERIFICATION

@pytest.mark.screenshots
def test_a_company_that_fits_many_measures_pages_through_them_by_keyboard(page, company):
    seafood = ProductCategory.objects.get(code="seafood")
    for n in range(25):
        SupportMeasureFactory(code=f"MORE-{n:02}", name_ja=f"水産物輸出支援 その{n + 1}",
                              product_categories=[seafood])
    driver = sign_in(page, company.user.username)
    page.open("/exporters/")
    pages = driver.find_element(By.CSS_SELECTOR, "nav.pages")
    assert "2ページ中1ページ目" in pages.text
    assert len(driver.find_elements(By.CSS_SELECTOR, "article.measure")) == 20
    assert_accessible(page, "first page of many measures")
    page.resize(390)
    page.screenshot("exporter-measures-pages-ja-390")
    following = driver.find_element(By.CSS_SELECTOR, "nav.pages a[rel=next]")
    following.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: "page=2" in d.current_url)
    assert "2ページ中2ページ目" in driver.find_element(By.CSS_SELECTOR, "nav.pages").text
    assert driver.find_elements(By.CSS_SELECTOR, "nav.pages a[rel=prev]")
    assert_accessible(page, "second page of many measures")


@pytest.mark.screenshots
@pytest.mark.parametrize("language", ["ja", "en"])
def test_screenshots_of_the_measures_and_profile_pages(page, company, language):
    sign_in(page, company.user.username)
    if language == "en":
        in_english(page)
    for name, path in (("measures", "/exporters/"), ("profile", "/exporters/profile/")):
        for width in WIDTHS:
            page.open(path)
            page.resize(width)
            assert page.screenshot(f"exporter-{name}-{language}-{width}").stat().st_size > 0
    submit_profile_with_errors(page)
    page.resize(390)
    page.screenshot(f"exporter-profile-errors-{language}-390")


@pytest.mark.screenshots
@pytest.mark.parametrize("language", ["ja", "en"])
def test_screenshots_of_the_register_page_and_a_refused_sign_in(page, company, language):
    page.open("/exporters/login/")
    if language == "en":
        in_english(page)
    for width in WIDTHS:
        page.open("/exporters/register/")
        page.resize(width)
        assert page.screenshot(f"exporter-register-{language}-{width}").stat().st_size > 0
    page.resize(WIDTHS[0])
    register_bad_corporate_number(page)
    page.screenshot(f"exporter-register-errors-{language}-1366")
    sign_in_refused(ExporterStatus.REJECTED,
                    rejection_reason="法人番号と会社名が一致しません")(page)
    for width in WIDTHS:
        page.resize(width)
        page.screenshot(f"exporter-sign-in-rejected-{language}-{width}")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_two_factor_pages_of_a_company_that_turned_it_on_have_no_violation(
        page, company, language, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Without django_otp's pause after a wrong code (1 s): the right one may follow faster.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=company.user, name="authenticator", confirmed=True)
    page.open("/exporters/login/")
    if language == "en":
        in_english(page)
    driver = sign_in(page, company.user.username)
    WebDriverWait(driver, 10).until(lambda d: "/two-factor/" in d.current_url)
    assert_accessible(page, "sign-in code")
    driver.find_element(By.NAME, "code").send_keys("000000")
    driver.find_element(By.CSS_SELECTOR, "main form [type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".errorlist"))
    assert driver.title.startswith(("エラー", "Error"))
    assert_accessible(page, "sign-in code, wrong code")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    driver.find_element(By.NAME, "code").clear()
    driver.find_element(By.NAME, "code").send_keys(code)
    driver.find_element(By.CSS_SELECTOR, "main form [type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/two-factor/" not in d.current_url)
    page.open("/exporters/profile/two-factor/")
    assert driver.find_elements(By.NAME, "code")  # the page that turns it off
    assert_accessible(page, "two-factor on")
