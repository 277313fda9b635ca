"""Lists kept as JSON (an initiative's reminder days and other names, a field's other
spellings) are edited as people write them: a blank box for blank, never `null` or `[]`;
days as "14、7、1" (full-width digits too), names one a line; what is saved means the same."""

import re

import pytest
from django.urls import reverse

from programs.models import Initiative, StrategicField
from tests.factories import StrategicFieldFactory
from tests.programs.test_admin_safety import form_data

pytestmark = pytest.mark.django_db


def initiative_url(initiative):
    return reverse("admin:programs_initiative_change", args=[initiative.pk])


def box(html, name):
    """What the page shows in the editable box called `name` (an input's value or a
    textarea's text)."""
    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    if textarea:
        return textarea.group(1).strip()
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no editable box {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def shows_no_json_blank(html):
    """Neither `null` nor `[]` anywhere a person reads: the text and the form's values (the
    admin's own scripts carry `[]` in data attributes nobody reads)."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    values = re.findall(r'value="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return not any(blank in shown for blank in ("null", "[]") for shown in (text, *values))


def saved_with(client, user, initiative, **changes):
    client.force_login(user)
    data = form_data(client.get(initiative_url(initiative)))
    data.update(changes)
    return client.post(initiative_url(initiative), data)


def test_the_owners_blank_reminder_days_box_is_empty_not_null(client, officer, own_initiative):
    own_initiative.reminder_due_soon_days = None
    own_initiative.save()
    client.force_login(officer)
    html = client.get(initiative_url(own_initiative)).content.decode()
    assert box(html, "reminder_due_soon_days") == ""
    assert shows_no_json_blank(html)


def test_the_owners_reminder_days_read_as_numbers_between_commas(client, officer,
                                                                  own_initiative):
    own_initiative.reminder_due_soon_days = [14, 7, 1]
    own_initiative.save()
    client.force_login(officer)
    html = client.get(initiative_url(own_initiative)).content.decode()
    assert box(html, "reminder_due_soon_days") == "14、7、1"


@pytest.mark.parametrize("typed", ["7, 14", "７、１４", "7 14", "[7, 14]"])
def test_reminder_days_typed_as_people_write_them_are_saved_as_a_list(
        client, officer, own_initiative, typed):
    response = saved_with(client, officer, own_initiative, reminder_due_soon_days=typed)
    assert response.status_code == 302
    assert Initiative.objects.get(pk=own_initiative.pk).reminder_due_soon_days == [7, 14]


def test_a_blank_reminder_days_box_saves_the_site_wide_setting(client, officer, own_initiative):
    own_initiative.reminder_due_soon_days = [14]
    own_initiative.save()
    response = saved_with(client, officer, own_initiative, reminder_due_soon_days="")
    assert response.status_code == 302
    assert Initiative.objects.get(pk=own_initiative.pk).reminder_due_soon_days is None


@pytest.mark.parametrize(("typed", "message"), [
    ("7、十四", "整数を「、」またはカンマで区切って入力してください"),
    ("7.5", "整数を「、」またはカンマで区切って入力してください"),
    ("0, 400", "それぞれの数は 1 から 365 までにしてください"),
])
def test_bad_reminder_days_are_a_japanese_field_error_and_save_nothing(
        client, officer, own_initiative, typed, message):
    own_initiative.reminder_due_soon_days = [14]
    own_initiative.save()
    response = saved_with(client, officer, own_initiative, reminder_due_soon_days=typed)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["reminder_due_soon_days"]
    assert any(message in error for error in errors)
    assert box(response.content.decode(), "reminder_due_soon_days") == typed  # kept to correct
    initiative = Initiative.objects.get(pk=own_initiative.pk)
    assert (initiative.reminder_due_soon_days, initiative.version) == ([14], own_initiative.version)



def test_the_stale_after_box_refuses_what_the_api_refuses(client, officer, own_initiative, api):
    """One limit for an initiative's reminder days, on the page and in the API: a year."""
    response = saved_with(client, officer, own_initiative, reminder_stale_after_days="400")
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["reminder_stale_after_days"]
    assert "365" in error
    assert Initiative.objects.get(pk=own_initiative.pk).reminder_stale_after_days is None
    refused = api.as_user(officer).patch(f"/api/v1/initiatives/{own_initiative.pk}/",
                                         {"reminder_stale_after_days": 400}, format="json",
                                         HTTP_IF_MATCH="*")
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"reminder_stale_after_days"}
    assert saved_with(client, officer, own_initiative,
                      reminder_stale_after_days="365").status_code == 302


def test_reminder_days_saved_outside_a_form_are_held_to_the_same_limits(own_initiative):
    from django.core.exceptions import ValidationError

    own_initiative.reminder_due_soon_days = [14, 400]
    with pytest.raises(ValidationError) as refused:
        own_initiative.full_clean()
    assert "1から365までの日数" in str(refused.value.message_dict["reminder_due_soon_days"])

def test_an_initiatives_other_names_are_edited_one_a_line(client, administrator, own_initiative):
    own_initiative.aliases = []
    own_initiative.save()
    client.force_login(administrator)
    html = client.get(initiative_url(own_initiative)).content.decode()
    assert box(html, "aliases") == "" and shows_no_json_blank(html)
    response = saved_with(client, administrator, own_initiative,
                          aliases="AZEC2.0\n AZEC 2.0 \n\nエネルギー・資源強靱化構想")
    assert response.status_code == 302
    initiative = Initiative.objects.get(pk=own_initiative.pk)
    assert initiative.aliases == ["AZEC2.0", "AZEC 2.0", "エネルギー・資源強靱化構想"]
    html = client.get(initiative_url(initiative)).content.decode()
    assert box(html, "aliases") == "AZEC2.0\nAZEC 2.0\nエネルギー・資源強靱化構想"
    saved_with(client, administrator, initiative, aliases="")
    assert Initiative.objects.get(pk=own_initiative.pk).aliases == []  # blank, not null


def test_a_fields_other_spellings_are_edited_one_a_line(client, administrator):
    field = StrategicFieldFactory(variants=[])
    url = reverse("admin:programs_strategicfield_change", args=[field.pk])
    client.force_login(administrator)
    page = client.get(url)
    html = page.content.decode()
    assert box(html, "variants") == "" and shows_no_json_blank(html)
    data = form_data(page)
    data["variants"] = "資源エネルギー\nGX"
    assert client.post(url, data).status_code == 302
    assert StrategicField.objects.get(pk=field.pk).variants == ["資源エネルギー", "GX"]
