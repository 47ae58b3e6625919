import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from cases.importer import COLUMNS, RISK_FILE_COLUMNS
from cases.models import Case, Risk
from cases.tests.importing import csv_text, pending, risk, risks_text, row, with_file_risks

pytestmark = pytest.mark.django_db

URL = reverse("case_import:upload")


def upload(client, text, name="legacy.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")})


def test_a_lead_uploads_a_valid_file_and_sees_the_count(world, login):
    client = login(world.lead)

    response = upload(client, csv_text([row(case_ref="OLD-1"), pending(case_ref="OLD-2")]))

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Imported 2 cases." in page.content.decode()
    assert Case.objects.filter(imported=True).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, actor=world.lead).count() == 1


def test_a_lead_sees_every_error_and_nothing_is_imported(world, login):
    client = login(world.lead)

    response = upload(client, csv_text([row(case_ref="OLD-1", gender="woman"), pending(case_ref="OLD-1")]))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported: the file has 2 errors" in body
    assert "row 2, column gender: must be one of female, male, other, unknown" in body
    assert "row 3, column case_ref: case reference &#x27;OLD-1&#x27; is already used on row 2" in body
    assert not Case.objects.filter(imported=True).exists()


def test_a_file_that_is_not_csv_is_refused_next_to_the_field(world, login):
    client = login(world.lead)

    response = upload(client, "hello", name="legacy.xlsx")

    assert response.status_code == 400
    assert "Choose a file ending in .csv." in response.content.decode()


def test_a_file_that_is_not_utf8_is_reported(world, login):
    client = login(world.lead)

    response = client.post(URL, {"file": SimpleUploadedFile("legacy.csv", b"\xff\xfe\x00bad", content_type="text/csv")})

    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


@pytest.mark.parametrize("actor", ["practitioner", "manager", "sab_member", "sysadmin"])
def test_only_a_lead_may_import(world, login, actor):
    client = login(world.user(actor))

    response = upload(client, csv_text([row()]))

    assert response.status_code == 403
    assert not Case.objects.filter(imported=True).exists()


def test_the_lead_sees_the_import_page_in_the_navigation(world, login):
    response = login(world.lead).get(reverse("cases:list"))

    assert URL in response.content.decode()


def test_a_large_upload_streamed_to_a_temporary_file_imports_too(world, login, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # force Django's temporary-file upload handler
    client = login(world.lead)

    response = upload(client, csv_text([pending(case_ref=f"OLD-{n}", person_ref=f"P-{n % 7}") for n in range(50)]))

    assert response.status_code == 302
    assert Case.objects.filter(imported=True).count() == 50


def upload_two(client, cases_text, risks_text_, risks_name="risks.csv"):
    return client.post(
        URL,
        {
            "file": SimpleUploadedFile("legacy.csv", cases_text.encode("utf-8"), content_type="text/csv"),
            "risks": SimpleUploadedFile(risks_name, risks_text_.encode("utf-8"), content_type="text/csv"),
        },
    )


def test_a_lead_uploads_a_cases_file_and_its_risks_file(world, login):
    client = login(world.lead)

    response = upload_two(
        client,
        csv_text([with_file_risks(row(case_ref="OLD-1")), pending(case_ref="OLD-2")]),
        risks_text([risk(case_ref="OLD-1"), risk(case_ref="OLD-1", types="neglect", assessment="ceased", result="")]),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported: the files have 1 error" in body
    assert "risks row 2, column assessment: must be ceased" in body

    response = upload_two(
        client,
        csv_text([with_file_risks(row(case_ref="OLD-1")), pending(case_ref="OLD-2")]),
        risks_text([risk(case_ref="OLD-1"), risk(case_ref="OLD-1", types="neglect")]),
    )

    assert response.status_code == 302
    assert "Imported 2 cases." in client.get(response["Location"]).content.decode()
    assert Risk.objects.filter(case__ref="OLD-1").count() == 2
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).detail == "2 cases and 3 risks imported"


def test_a_risks_file_that_is_not_csv_is_refused_next_to_its_field(world, login):
    response = upload_two(login(world.lead), csv_text([row()]), "x", risks_name="risks.xlsx")

    assert response.status_code == 400
    body = response.content.decode()
    assert "CSV file of their risks (optional): Choose a file ending in .csv." in body
    assert not Case.objects.filter(imported=True).exists()


def test_the_page_describes_both_files(world, login):
    body = login(world.lead).get(URL).content.decode()

    assert "The risks file (optional)" in body
    assert all(f"<code>{column}</code>" in body for column in [*COLUMNS, *RISK_FILE_COLUMNS, "health_condition"])


@pytest.mark.parametrize("actor", ["practitioner", "manager", "sab_member", "sysadmin"])
def test_only_a_lead_may_import_with_a_risks_file(world, login, actor):
    response = upload_two(login(world.user(actor)), csv_text([with_file_risks(row())]), risks_text([risk()]))

    assert response.status_code == 403
    assert not Case.objects.filter(imported=True).exists()
    assert not Risk.objects.filter(case__imported=True).exists()
