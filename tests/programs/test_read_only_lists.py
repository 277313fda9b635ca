"""Lists kept as JSON (an initiative's other names, its reminder days, a field's other
spellings) read as text on the pages that show them read-only: joined with 、, blank as the
page's empty value, never `["…"]`, `[]` or `null`."""

import re

import pytest
from django.urls import reverse

from tests.factories import DeliveryFactory, StrategicFieldFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def initiative_page(client, user, initiative):
    client.force_login(user)
    return text_of(client.get(reverse("admin:programs_initiative_change",
                                      args=[initiative.pk])))


@pytest.mark.parametrize("reader", ["manager", "officer"])  # a page to read; an owner's page
def test_an_initiatives_other_names_read_as_a_list_not_as_json(client, request, reader,
                                                                own_initiative):
    own_initiative.aliases = ["AZEC2.0", "AZEC 2.0", "エネルギー・資源強靱化構想"]
    own_initiative.save()
    text = initiative_page(client, request.getfixturevalue(reader), own_initiative)
    assert "AZEC2.0、AZEC 2.0、エネルギー・資源強靱化構想" in text
    assert "[&quot;" not in text and '["' not in text


def test_blank_lists_read_as_the_empty_value_not_brackets_or_null(client, manager,
                                                                   own_initiative):
    own_initiative.aliases, own_initiative.reminder_due_soon_days = [], None
    own_initiative.save()
    text = initiative_page(client, manager, own_initiative)
    assert "[]" not in text and "null" not in text
    reminders = text[text.index("期限前リマインダー"):]
    assert reminders.split(":", 1)[1].split()[0] == "-"  # the empty value, not "None"


def test_a_fields_other_spellings_read_as_a_list_in_the_list_and_on_its_page(client, manager):
    field = StrategicFieldFactory(variants=["資源・エネルギー・安全保障・GX", "資源エネルギー"])
    client.force_login(manager)
    for url in (reverse("admin:programs_strategicfield_changelist"),
                reverse("admin:programs_strategicfield_change", args=[field.pk])):
        text = text_of(client.get(url))
        assert "資源・エネルギー・安全保障・GX、資源エネルギー" in text, url
        assert "[&quot;" not in text, url


def test_a_deliverys_page_leaves_out_the_digests_json(client, administrator):
    delivery = DeliveryFactory(digest_item={"title": "会合", "link": "/x/"})
    client.force_login(administrator)
    text = text_of(client.get(reverse("admin:programs_delivery_change", args=[delivery.pk])))
    assert "{&quot;" not in text and '{"' not in text
