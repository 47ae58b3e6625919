import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cases.models import Case
from cases.tests.importing import csv_text, pending, row

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
