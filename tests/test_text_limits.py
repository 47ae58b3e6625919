"""Every text field has a documented limit, refused with a message that keeps what was typed.

Single-line fields have no HTML `maxlength`: the browser would cut a long paste without a word,
so the server refuses it instead and shows it back.
"""

import importlib
import inspect
import re

import pytest
from django import forms
from django.urls import reverse

from accounts.text import MULTI_LINE_LIMIT, SINGLE_LINE_LIMIT, TextLimitsMixin
from cases.tests.factories import concern_form_data
from outcomes.models import DesiredOutcome
from tests.walker import allowed_actor, get_pages, sign_in, url_for

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "accounts.forms",
    "cases.forms",
    "cases.import_forms",
    "workspace.forms",
    "outcomes.forms",
    "quality.forms",
    "reporting.forms",
    "frontdoor.forms",
    "notifications.forms",
    "feedback.forms",
    "sars.forms",
]


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield f"{module_name}.{name}", cls


@pytest.mark.parametrize(("name", "cls"), list(_form_classes()))
def test_every_form_of_the_application_carries_the_text_limits(name, cls):
    assert issubclass(cls, TextLimitsMixin), f"{name} does not use accounts.text.TextLimitsMixin"


def test_a_million_character_desired_outcome_is_refused_and_kept(world, login):
    words = "I want to stay at home. " * 41_667  # 1,000,008 characters
    response = login(world.practitioner).post(
        reverse("outcomes:desired_outcome_add", args=[world.case.pk]),
        {"words": words, "expressed_by": "adult"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"This must be {MULTI_LINE_LIMIT:,} characters or fewer (you entered {len(words.strip()):,})." in body
    assert words.strip() in body.replace("&#x27;", "'")  # every character typed is still in the box
    assert not DesiredOutcome.objects.filter(case=world.case).exists()


def test_a_long_paste_into_a_single_line_field_is_refused_not_cut(world, login):
    client = login(world.practitioner)
    page = client.get(reverse("cases:create")).content.decode()
    legal_name = re.search(r"<input[^>]*name=\"person-legal_name\"[^>]*>", page).group(0)
    assert "maxlength" not in legal_name
    name = "Margaret Synthetica " * 250  # 5,000 characters
    response = client.post(reverse("cases:create"), concern_form_data(world.team_a, **{"person-legal_name": name}))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"This must be {SINGLE_LINE_LIMIT} characters or fewer (you entered {len(name.strip()):,})." in body
    assert f'value="{name}"' in body  # exactly as typed


def test_a_field_with_a_shorter_column_keeps_its_own_limit(world, login):
    response = login(world.sysadmin).post(reverse("accounts:team_create"), {"name": "T" * 150})
    assert "This must be 100 characters or fewer (you entered 150)." in response.content.decode()


@pytest.mark.parametrize("name", get_pages())
def test_no_page_lets_the_browser_cut_what_is_typed(name, world, client):
    sign_in(client, world, allowed_actor(name))
    response = client.get(url_for(name, world))
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    assert "maxlength" not in response.content.decode()


def test_a_long_search_is_refused_with_a_message_not_cut(world, login):
    client = login(world.practitioner)
    text = "Synthetic " * 500  # 5,000 characters
    page = client.post("/cases/", {"q": text}, follow=True).content.decode()
    assert f"This must be {SINGLE_LINE_LIMIT} characters or fewer (you entered {len(text.strip()):,})." in page
    assert f'value="{text.strip()}"' in page  # the whole search, still in the box


@pytest.mark.parametrize(
    "filterset",
    [
        "cases.filters.CaseFilter",
        "workspace.forms.WorkspaceCaseFilter",
        "workspace.forms.WorkItemFilter",
        "quality.forms.PracticeAuditFilter",
    ],
)
def test_every_filter_form_carries_the_text_limits(filterset):
    module, name = filterset.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls._meta.form, TextLimitsMixin)
