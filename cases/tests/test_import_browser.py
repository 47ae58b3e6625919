import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cases.models import Case, Risk
from cases.tests.importing import csv_text, pending, risk, risks_text, row, with_file_risks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_uploads_a_file_with_errors_then_a_corrected_one(
    signed_in_page, live_server, tmp_path, assert_accessible
):
    page = signed_in_page(UserFactory(username="browserlead", role=Role.LEAD))
    page.get_by_role("link", name="Import cases").click()
    page.get_by_role("heading", name="Import legacy cases").wait_for()
    assert_accessible(page)

    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([row(case_ref="OLD-1", gender="woman")]), encoding="utf-8")
    page.get_by_label("CSV file of legacy cases").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("row 2, column gender: must be one of female, male, other, unknown").wait_for()
    assert_accessible(page)
    assert not Case.objects.exists()

    good = tmp_path / "good.csv"
    good.write_text(csv_text([row(case_ref="OLD-1"), pending(case_ref="OLD-2")]), encoding="utf-8")
    page.get_by_label("CSV file of legacy cases").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Imported 2 cases.").wait_for()
    assert Case.objects.filter(imported=True).count() == 2


def test_a_lead_uploads_a_cases_file_with_its_risks_file(signed_in_page, live_server, tmp_path, assert_accessible):
    page = signed_in_page(UserFactory(username="browserlead2", role=Role.LEAD))
    page.get_by_role("link", name="Import cases").click()
    page.get_by_role("heading", name="The risks file (optional)").wait_for()

    cases = tmp_path / "cases.csv"
    cases.write_text(csv_text([with_file_risks(row(case_ref="OLD-1"))]), encoding="utf-8")
    bad = tmp_path / "bad-risks.csv"
    bad.write_text(risks_text([risk(case_ref="OLD-1", result="")]), encoding="utf-8")
    page.get_by_label("CSV file of legacy cases").set_input_files(str(cases))
    page.get_by_label("CSV file of their risks (optional)").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text(
        "risks row 2, column result: is required when assessment is identified_action or identified_no_action"
    ).wait_for()
    assert_accessible(page)
    assert not Case.objects.exists()

    good = tmp_path / "risks.csv"
    good.write_text(risks_text([risk(case_ref="OLD-1"), risk(case_ref="OLD-1", types="neglect")]), encoding="utf-8")
    page.get_by_label("CSV file of legacy cases").set_input_files(str(cases))
    page.get_by_label("CSV file of their risks (optional)").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Imported 1 case.").wait_for()
    assert Risk.objects.filter(case__ref="OLD-1").count() == 2
