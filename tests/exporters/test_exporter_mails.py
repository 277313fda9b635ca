"""A registered company's e-mails read as written to it: they end with the programme and whom
to write to (a company has no notification preferences to point at), and a rejection says
that the registration was not approved, why, and how to ask about it."""

import pytest
from django.core import mail

from exporters.models import ExporterStatus
from exporters.services.registrations import (
    exporter_approve,
    exporter_reject,
    exporter_resend_verification,
)
from tests.factories import ExporterProfileFactory, InitiativeFactory

pytestmark = pytest.mark.django_db
CONTACT = "food-export@meti.example.go.jp"
FOOTER = {"ja": "ご登録やプログラムについてのお問い合わせは food-export@meti.example.go.jp "
                "までお寄せください。",
          "en": "Questions about your registration or the programme: write to "
                "food-export@meti.example.go.jp."}
PREFERENCES = {"ja": "通知設定", "en": "notification preferences"}


@pytest.fixture
def reviewer(officer, settings):
    settings.EXPORTER_CONTACT_EMAIL = CONTACT
    InitiativeFactory(code="FOOD-EXPORT", owner=officer, reviews_exporter_registrations=True)
    return officer


def company(language, status):
    return ExporterProfileFactory(status=status, user__language=language,
                                  company_name="みなと水産加工株式会社",
                                  company_name_en="Minato Seafood Processing Co., Ltd.")


def sent(django_capture_on_commit_callbacks, write):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        write()
    [message] = mail.outbox
    [(html, _type)] = message.alternatives
    return message.body, html


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_account_mail_ends_with_the_programme_and_whom_to_write_to(
        reviewer, django_capture_on_commit_callbacks, language):
    waiting = company(language, ExporterStatus.PENDING_VERIFICATION)
    reviewed = company(language, ExporterStatus.PENDING_APPROVAL)
    mails = [
        sent(django_capture_on_commit_callbacks,
             lambda: exporter_resend_verification(profile=waiting)),
        sent(django_capture_on_commit_callbacks,
             lambda: exporter_approve(profile=reviewed, by=reviewer)),
        sent(django_capture_on_commit_callbacks,
             lambda: exporter_reject(profile=reviewed, by=reviewer, reason="書類不備")),
    ]
    for body, html in mails:
        assert body.rstrip().endswith(FOOTER[language]), body
        assert PREFERENCES[language] not in body and PREFERENCES[language] not in html
        assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in html
        # Sentences read as paragraphs, not as a list of bullet points.
        assert "<li>" not in html and html.count("<p>") >= 3


@pytest.mark.parametrize(("language", "said"), [
    ("ja", ["みなと水産加工株式会社 の食輸出1万者支援プログラムへのご登録を審査いたしましたが、"
            "承認には至りませんでした。",
            "理由：法人番号と会社名が一致しません",
            f"この結果についてのお問い合わせは、プログラム事務局（{CONTACT}）までお寄せください。"]),
    ("en", ["We have reviewed the registration of Minato Seafood Processing Co., Ltd. for the "
            "food-export programme and could not approve it.",
            "Reason: 法人番号と会社名が一致しません",
            f"To ask about the decision, write to the programme at {CONTACT}."]),
])
def test_a_rejection_says_not_approved_why_and_whom_to_ask(
        reviewer, django_capture_on_commit_callbacks, language, said):
    profile = company(language, ExporterStatus.PENDING_APPROVAL)
    body, _html = sent(django_capture_on_commit_callbacks, lambda: exporter_reject(
        profile=profile, by=reviewer, reason="法人番号と会社名が一致しません"))
    lines = [line.strip() for line in body.splitlines()]
    for sentence in said:
        assert sentence in lines, body
    assert lines.index(said[0]) < lines.index(said[1]) < lines.index(said[2])


def test_staff_reminders_keep_their_notification_preferences_footer(
        officer, django_capture_on_commit_callbacks):
    from programs.models import ReminderKind
    from programs.services.reminders import Reminder, outbox_send_soon

    body, _html = sent(django_capture_on_commit_callbacks, lambda: outbox_send_soon([Reminder(
        recipient=officer, kind=ReminderKind.ACCOUNT, subject=officer, occasion="test",
        describe=lambda: ("件名", ["本文"]))]))
    assert "通知設定" in body
