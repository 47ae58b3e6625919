"""Recording a concern with the keyboard alone: Tab, typing, Space, arrow keys and Enter.

Nothing is clicked and nothing is filled by selector: the test only reads where the focus is.
It records three risks ("Add another risk" twice) and removes the second ("Remove risk 2"),
each a submit button that brings the page back with everything typed kept and the focus on
the new risk or on the message saying which was removed. It leaves one required answer out,
follows the error summary's link with the keyboard, gives the answer and submits, and then
checks every typed value reached the saved case.
"""

import pytest
from django.utils import timezone

from cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = {
    "id_person-legal_name": "Keyboard Synthetic Person",
    "id_person-preferred_name": "Kit",
    "id_person-nhs_number": "943 476 5919",
    "id_person-communication_needs": "Uses a screen reader.",
    "id_person-address": "1 Example Row, Testtown",
    "id_concern-referrer_name": "Sam Referrer",
    "id_concern-referrer_agency": "Example Home Care",
    "id_concern-adult_wants": "I want to choose my own carers.",
}


def _date_digits(page, year, month, day):
    """Date inputs take digits in the order the browser's locale shows the parts (d/m/y or m/d/y)."""
    order = page.evaluate(
        "() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2000, 10, 22))"
        ".map(p => p.type).filter(t => ['day', 'month', 'year'].includes(t))"
    )
    parts = {"day": f"{day:02d}", "month": f"{month:02d}", "year": f"{year:04d}"}
    return "".join(parts[p] for p in order)


def _focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? (e.id || e.getAttribute('href') || e.textContent.trim()) : null; }"
    )


def _tab_to(page, target, *, backwards=False, limit=250):
    """Press Tab (or Shift+Tab) until the element `target` (id, href or text) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if _focused(page) == target:
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key (focus ended on {_focused(page)})")


def _type_into(page, field_id, text):
    _tab_to(page, field_id)
    page.keyboard.type(text)


def _id_of_option(page, name, value):
    return page.evaluate(f"() => document.querySelector(\"input[name='{name}'][value='{value}']\").id")


def _choose_in_select(page, field_id, label):
    """A closed select answers type-ahead: typing the start of an option's text chooses it."""
    _tab_to(page, field_id)
    page.keyboard.type(label)
    chosen = page.evaluate(f"() => document.getElementById('{field_id}').selectedOptions[0].textContent.trim()")
    assert chosen == label, f"{field_id}: typing chose {chosen!r}"


def _choose_radio(page, name, value):
    """Tab enters a radio group on its chosen option; the arrow keys move the choice."""
    _tab_to(page, _id_of_option(page, name, "not_known"))
    for _ in range(5):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowUp")
    assert page.evaluate(f"() => document.querySelector(\"input[name='{name}']:checked\").value") == value


def _press(page, button):
    """Tab to a button (by its text) and press Enter: the form is submitted and comes back."""
    _tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _wait_for_focus(page, element_id):
    """The page moves the focus itself (autofocus) as it loads: wait for it to land."""
    try:
        page.wait_for_function(
            f"() => document.activeElement && document.activeElement.id === '{element_id}'", timeout=5000
        )
    except Exception:
        raise AssertionError(f"the focus is on {_focused(page)!r}, not {element_id}") from None


def test_practitioner_records_a_concern_with_the_keyboard_only(world, signed_in_page, live_server, assert_accessible):
    page = signed_in_page(world.practitioner)
    _tab_to(page, "/cases/new/")  # the "Record a concern" link in the navigation bar
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)

    _type_into(page, "id_person-legal_name", TYPED["id_person-legal_name"])
    _type_into(page, "id_person-preferred_name", TYPED["id_person-preferred_name"])
    _tab_to(page, "id_person-date_of_birth")
    page.keyboard.type(_date_digits(page, 1941, 3, 9))
    _type_into(page, "id_person-nhs_number", TYPED["id_person-nhs_number"])
    _type_into(page, "id_person-communication_needs", TYPED["id_person-communication_needs"])
    _type_into(page, "id_person-address", TYPED["id_person-address"])
    _tab_to(page, "id_concern-received_at")
    page.keyboard.type(_date_digits(page, 2026, 11, 20))
    page.keyboard.press("ArrowRight")  # from the year to the hour
    page.keyboard.type("1030")
    if page.evaluate("() => new Intl.DateTimeFormat(navigator.language, {hour: 'numeric'}).resolvedOptions().hour12"):
        page.keyboard.type("A")  # AM, where the locale shows a 12-hour clock
    _type_into(page, "id_concern-referrer_name", TYPED["id_concern-referrer_name"])
    _type_into(page, "id_concern-referrer_agency", TYPED["id_concern-referrer_agency"])
    # "What happened" is left out on purpose.
    _tab_to(page, _id_of_option(page, "risk-0-types", "physical"))
    page.keyboard.press("Space")
    _choose_in_select(page, "id_risk-0-location", "Own home")
    _choose_in_select(page, "id_risk-0-source", "Service provider")
    _press(page, "Add another risk")
    _wait_for_focus(page, "id_risk-1-types_0")  # on the new risk
    assert_accessible(page)
    _tab_to(page, _id_of_option(page, "risk-1-types", "neglect"))
    page.keyboard.press("Space")
    _choose_in_select(page, "id_risk-1-location", "Other")
    _choose_in_select(page, "id_risk-1-source", "Service provider")
    _press(page, "Add another risk")
    _wait_for_focus(page, "id_risk-2-types_0")
    _tab_to(page, _id_of_option(page, "risk-2-types", "self_neglect"))
    page.keyboard.press("Space")
    _choose_in_select(page, "id_risk-2-location", "Own home")
    _choose_in_select(page, "id_risk-2-source", "Other – known to the individual")
    page.keyboard.press("Control+Home")
    _press(page, "Remove risk 2")
    _wait_for_focus(page, "risk-status")
    assert page.locator("#risk-status").inner_text() == "Risk 2 removed. The concern now has 2 risks."
    assert page.locator("fieldset.risk > legend").all_inner_texts() == ["Risk 1", "Risk 2"]
    assert page.locator("#id_risk-1-location").input_value() == "own_home"  # risk 3 moved up, as typed
    assert_accessible(page)
    _tab_to(page, "id_concern-others_at_risk_adults")
    page.keyboard.press("Space")
    _choose_radio(page, "concern-adult_aware", "yes")
    _type_into(page, "id_concern-adult_wants", TYPED["id_concern-adult_wants"])
    _tab_to(page, "Record the concern")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    assert Case.objects.filter(person__legal_name=TYPED["id_person-legal_name"]).count() == 0
    for field_id, text in TYPED.items():
        assert page.locator(f"#{field_id}").input_value() == text, f"{field_id} lost what was typed"
    assert page.locator("#id_person-date_of_birth").input_value() == "1941-03-09"
    assert page.locator("#id_concern-received_at").input_value() == "2026-11-20T10:30"
    assert page.locator("#error-summary li").all_inner_texts() == ["What happened: Describe what happened."]
    # The error summary's link takes the keyboard to the missing answer.
    page.keyboard.press("Control+Home")
    _tab_to(page, "#id_concern-what_happened")
    page.keyboard.press("Enter")
    assert _focused(page) == "id_concern-what_happened", "the error link did not move the focus to the field"
    page.keyboard.type("Synthetic: the carer shouted at them.")
    _tab_to(page, "Record the concern")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == TYPED["id_person-preferred_name"], page.locator("main").inner_text()[:1500]
    assert_accessible(page)
    case = Case.objects.select_related("person").get(person__legal_name=TYPED["id_person-legal_name"])
    person = case.person
    assert (person.preferred_name, str(person.date_of_birth), person.nhs_number) == ("Kit", "1941-03-09", "9434765919")
    assert person.communication_needs == TYPED["id_person-communication_needs"]
    assert person.address == TYPED["id_person-address"]
    assert case.referrer_name == TYPED["id_concern-referrer_name"]
    assert case.referrer_agency == TYPED["id_concern-referrer_agency"]
    assert case.what_happened == "Synthetic: the carer shouted at them."
    assert case.adult_wants == TYPED["id_concern-adult_wants"]
    assert timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 10:30"
    assert [(r.type_codes(), r.location, r.source) for r in case.risks.all()] == [
        (["physical"], "own_home", "service_provider"),
        (["self_neglect"], "own_home", "known"),
    ]
    assert (case.others_at_risk_children, case.others_at_risk_adults) == (False, True)
    assert case.adult_aware == "yes"
