"""A NUL byte in an import file is a `row N, column C` error like any other, never a traceback."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.importer import validate
from cases.models import Case
from cases.tests.importing import csv_text, pending, row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("column", ["case_ref", "person_ref", "team", "gender", "concern_received"])
def test_a_nul_byte_in_any_cell_is_a_row_and_column_error(column):
    value = row(case_ref="OLD-1")[column] + "\x00"
    result = validate(io_text([row(**{"case_ref": "OLD-1", column: value}), pending(case_ref="OLD-2")]))
    assert result.errors == [f"row 2, column {column}: must not contain a NUL character (byte 0)"]
    assert [r.case_ref for r in result.rows] == ["OLD-2"]


def test_the_other_errors_of_a_row_with_a_nul_byte_are_reported_too():
    result = validate(io_text([row(case_ref="OLD-1", team="East\x00", gender="woman")]))
    assert result.errors == [
        "row 2, column team: must not contain a NUL character (byte 0)",
        "row 2, column gender: must be one of female, male, other, unknown",
    ]


def test_a_nul_byte_in_the_header_is_reported_on_row_1():
    text = csv_text([row()]).replace("team", "te\x00am", 1)
    result = validate(_stream(text))
    assert "row 1, column te\\x00am: must not contain a NUL character (byte 0)" in result.errors
    assert not any("\x00" in message for message in result.errors)


def test_the_command_reports_a_nul_byte_and_imports_nothing(tmp_path, capsys):
    path = tmp_path / "legacy.csv"
    path.write_text(csv_text([row(case_ref="OLD-\x001"), row(case_ref="OLD-2", team="Legacy\x00 Team")]), "utf-8")
    with pytest.raises(CommandError, match="Nothing imported: 2 error"):
        call_command("import_cases", str(path))
    err = capsys.readouterr().err
    assert "row 2, column case_ref: must not contain a NUL character (byte 0)" in err
    assert "row 3, column team: must not contain a NUL character (byte 0)" in err
    assert not Case.objects.exists()


def test_the_upload_page_reports_a_nul_byte_instead_of_a_server_error(world, login):
    text = csv_text([row(case_ref="OLD-1"), row(case_ref="OLD-\x002")])
    response = login(world.lead).post(
        reverse("case_import:upload"),
        {"file": SimpleUploadedFile("legacy.csv", text.encode("utf-8"), content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "row 3, column case_ref: must not contain a NUL character (byte 0)" in response.content.decode()
    assert not Case.objects.filter(imported=True).exists()


def _stream(text):
    import io

    return io.StringIO(text, newline="")


def io_text(rows):
    return _stream(csv_text(rows))
