"""Every page carries a Content-Security-Policy that allows only this site's own script and
style files, and the pages still work under it: none of our pages relies on an inline
script, event handler, javascript: link or inline style that the policy would block."""

import base64
import hashlib
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import (
    ExporterProfileFactory,
    InitiativeFactory,
    KPIFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-2026"


def policy(response):
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


class Page(HTMLParser):
    """What in a page a strict policy blocks: inline scripts, event-handler attributes,
    javascript: URLs (the page's behaviour), and <style> elements and style attributes (its
    looks); and the files the page loads."""

    def __init__(self, html):
        super().__init__()
        self.inline_scripts, self.handlers, self.javascript_urls = [], [], []
        self.styles, self.style_attributes, self.files = [], [], []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self._in = "script"
        if tag == "style":
            self._in = "style"
        if tag == "script" and "src" in attrs:
            self.files.append(attrs["src"])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.files.append(attrs["href"])
        self.handlers += [f"{tag} {name}" for name in attrs if name.startswith("on")]
        self.javascript_urls += [value for name, value in attrs.items()
                                 if name in ("href", "src", "action")
                                 and (value or "").strip().lower().startswith("javascript:")]
        if "style" in attrs:
            self.style_attributes.append(f"{tag} {attrs['style']}")

    def handle_endtag(self, tag):
        self._in = None if tag in ("script", "style") else self._in

    def handle_data(self, data):
        if self._in == "script" and data.strip():
            self.inline_scripts.append(data)
        if self._in == "style":
            self.styles.append(data)

    def blocked(self):
        return self.inline_scripts + self.handlers + self.javascript_urls

    def unstyled(self):
        return self.styles + self.style_attributes


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]


def assert_our_static_files_exist(page):
    for url in page.files:
        if url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL):
            assert finders.find(url.split(settings.STATIC_URL, 1)[1]), url


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert_strict(response)
    page = Page(response.content.decode())
    assert_our_static_files_exist(page)
    return page


@pytest.fixture
def exporter_company():
    return ExporterProfileFactory(company_name="みなと水産加工株式会社")


def test_the_exporter_pages_keep_to_the_strict_policy(client, exporter_company):
    page = get_page(client, "/exporters/login/")
    assert (page.blocked(), page.unstyled()) == ([], [])
    assert any(url.endswith("exporters/site.css") for url in page.files)
    client.post("/exporters/login/", {"username": exporter_company.user.username,
                                      "password": PASSWORD})
    for url in ("/exporters/", "/exporters/profile/"):
        page = get_page(client, url)
        assert (page.blocked(), page.unstyled()) == ([], []), url
        assert any(file.endswith("exporters/site.css") for file in page.files)


def test_the_report_pages_keep_to_the_strict_policy(client, manager, officer):
    initiative = InitiativeFactory(owner=officer, name_ja="<b>AZEC</b>")
    MilestoneFactory(initiative=initiative, title_ja="<script>alert(1)</script>",
                     planned_due_on=date(2020, 1, 1), baseline_due_on=date(2020, 1, 1),
                     status="in_progress")
    KPIFactory(initiative=initiative)
    client.force_login(manager)
    for url in ("/admin/reports/", f"/admin/reports/initiatives/{initiative.pk}/"):
        page = get_page(client, url)
        assert (page.blocked(), page.unstyled()) == ([], []), url
        assert any(file.endswith("programs/report.css") for file in page.files)
        # The print button works through a script file (it is hidden where that cannot run).
        assert any(file.endswith("programs/report.js") for file in page.files)


def test_the_admin_pages_keep_to_the_strict_policy(client, administrator, officer):
    parent = InitiativeFactory(owner=officer)
    child = InitiativeFactory(owner=officer, parent=parent)
    milestone = MilestoneFactory(initiative=child)
    client.force_login(administrator)
    urls = [reverse("admin:index"),
            reverse("admin:programs_initiative_changelist"),
            reverse("admin:programs_initiative_change", args=[child.pk]),
            reverse("admin:programs_milestone_changelist"),
            reverse("admin:programs_milestone_change", args=[milestone.pk]),
            reverse("admin:programs_milestone_add"),
            reverse("admin:programs_progressreport_changelist"),
            reverse("admin:accounts_user_changelist"),
            reverse("admin:accounts_user_change", args=[officer.pk]),
            reverse("admin:exporters_exporterprofile_changelist")]
    for url in urls:
        page = get_page(client, url)
        assert page.blocked() == [], url
        assert page.style_attributes == [], url
    # The initiative tree is indented without a style attribute.
    tree = client.get(reverse("admin:programs_initiative_changelist")).content.decode()
    assert "\u2003\u2002" + child.name_ja in tree


def test_the_admin_sign_in_page_keeps_to_the_strict_policy(client):
    page = get_page(client, reverse("admin:login"))
    assert (page.blocked(), page.style_attributes) == ([], [])


def test_the_exporter_export_form_works_under_the_policy(client, manager, exporter_company):
    """django-import-export's form wires "Select all" with an inline onchange, which the
    policy blocks; our script file wires the same handler."""
    client.force_login(manager)
    response = client.post(reverse("admin:exporters_exporterprofile_changelist"), {
        "action": "export_admin_action", "_selected_action": [exporter_company.pk],
        "index": "0"})
    assert response.status_code == 200
    assert_strict(response)
    page = Page(response.content.decode())
    assert page.inline_scripts == [] and page.javascript_urls == []
    assert page.handlers == ["input onchange"]
    files = [file.rsplit("/", 1)[1] for file in page.files]
    assert files.index("export_selectable_fields.js") < files.index("export_select_all.js")
    assert_our_static_files_exist(page)


def test_the_api_docs_page_works_under_its_policy(client):
    """Swagger UI: scripts from files only (its start-up script is `?script`, not inline),
    icons from data: URIs, the schema fetched from this site, and only the page's own small
    <style> allowed, by its hash."""
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["connect-src"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    page = Page(response.content.decode())
    assert page.blocked() == []
    assert_our_static_files_exist(page)
    for style in page.styles:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert directives["style-src"] == ["'self'", f"'sha256-{digest}'"]
    start_up = next(url for url in page.files if "script" in url and "static" not in url)
    script = client.get(start_up.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()


def test_api_responses_carry_the_policy_too(client, officer):
    for response in (client.get("/api/v1/milestones/"), client.get("/health/")):
        assert_strict(response)



def test_the_two_factor_set_up_pages_keep_to_the_strict_policy(client, officer,
                                                               exporter_company):
    client.force_login(officer)
    page = get_page(client, reverse("admin:two_factor_setup"))
    assert (page.blocked(), page.unstyled()) == ([], [])
    assert any(file.endswith("accounts/two_factor.css") for file in page.files)
    client.force_login(exporter_company.user)
    page = get_page(client, reverse("exporter-two-factor-setup"))
    assert (page.blocked(), page.unstyled()) == ([], [])
    assert any(file.endswith("accounts/two_factor.css") for file in page.files)
