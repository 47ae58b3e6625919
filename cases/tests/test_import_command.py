import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditAction, AuditEvent
from cases.models import Case, Risk
from cases.tests.importing import csv_text, pending, risk, risks_text, row, with_file_risks

pytestmark = pytest.mark.django_db


def write(tmp_path, rows):
    path = tmp_path / "legacy.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    return str(path)


def test_the_command_imports_a_valid_file_as_the_named_user(tmp_path, capsys, django_user_model):
    lead = django_user_model.objects.create(username="lead-cmd", role="lead")

    call_command(
        "import_cases", write(tmp_path, [row(case_ref="OLD-1"), pending(case_ref="OLD-2")]), as_user="lead-cmd"
    )

    assert "Imported 2 cases" in capsys.readouterr().out
    assert Case.objects.filter(imported=True).count() == 2
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).actor == lead


def test_the_command_lists_every_error_and_imports_nothing(tmp_path, capsys):
    path = write(tmp_path, [row(case_ref="OLD-1", team=""), row(case_ref="OLD-2", source_of_risk="aliens")])

    with pytest.raises(CommandError, match="Nothing imported: 2 error"):
        call_command("import_cases", path)

    err = capsys.readouterr().err
    assert "row 2, column team: is required" in err
    assert "row 3, column source_of_risk: must be one of service_provider, known, unknown" in err
    assert not Case.objects.exists()


def test_the_command_refuses_an_unknown_user(tmp_path):
    with pytest.raises(CommandError, match="No user called"):
        call_command("import_cases", write(tmp_path, [row()]), as_user="nobody")


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_cases", str(tmp_path / "missing.csv"))


def write_risks(tmp_path, rows):
    path = tmp_path / "risks.csv"
    path.write_text(risks_text(rows), encoding="utf-8")
    return str(path)


def test_the_command_imports_a_cases_file_with_its_risks_file(tmp_path, capsys):
    cases = write(tmp_path, [with_file_risks(row(case_ref="OLD-1")), pending(case_ref="OLD-2")])
    risks = write_risks(tmp_path, [risk(case_ref="OLD-1"), risk(case_ref="OLD-1", types="neglect", location="other")])

    call_command("import_cases", cases, risks=risks)

    assert "Imported 2 cases" in capsys.readouterr().out
    assert list(Risk.objects.filter(case__ref="OLD-1").values_list("location", flat=True)) == ["own_home", "other"]
    assert Risk.objects.filter(case__ref="OLD-2").count() == 1


def test_the_command_lists_the_errors_of_both_files_and_imports_nothing(tmp_path, capsys):
    cases = write(tmp_path, [with_file_risks(row(case_ref="OLD-1"), team="")])
    risks = write_risks(tmp_path, [risk(case_ref="OLD-1", source="aliens")])

    with pytest.raises(CommandError, match="Nothing imported: 2 error"):
        call_command("import_cases", cases, risks=risks)

    err = capsys.readouterr().err
    assert "row 2, column team: is required" in err
    assert "risks row 2, column source: must be one of service_provider, known, unknown" in err
    assert not Case.objects.exists() and not Risk.objects.exists()


def test_the_command_reports_a_missing_risks_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing-risks.csv"):
        call_command("import_cases", write(tmp_path, [row()]), risks=str(tmp_path / "missing-risks.csv"))


def test_the_command_says_case_for_one_case(tmp_path, capsys):
    call_command("import_cases", write(tmp_path, [pending()]))

    assert "Imported 1 case in " in capsys.readouterr().out
