"""The statutory return: its workbook (command and page), and each check catching its own fault."""

import copy
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEvent
from cases.tests.factories import CaseFactory, EnquiryFactory, PersonFactory
from reporting import checks, periods
from reporting.aggregation import SPECS, aggregate
from reporting.models import ReportStatus, ReturnRun
from reporting.tests import scenario
from reporting.tests.scenario import LONDON, RiskRecord, create_risks
from reporting.workbook import SHEETS, render_workbook

FY = periods.financial_year(2024)
URL = reverse("reporting:sac_return")


def _concluded(*risks, dob=datetime.date(1940, 1, 1), **answers):
    person = PersonFactory(date_of_birth=dob)
    case = CaseFactory(person=person, received_at=datetime.datetime(2024, 5, 1, 10, tzinfo=LONDON))
    create_risks(case, list(risks) or [RiskRecord(["financial"], "own_home", "known", "identified_action", "reduced")])
    defaults = {"asked_desired_outcomes": "asked_not_expressed", "lacked_capacity": "no"}
    EnquiryFactory(
        case=case,
        kind="s42",
        started_on=datetime.date(2024, 5, 2),
        concluded_on=datetime.date(2024, 7, 1),
        **{**defaults, **answers},
    )
    return case


def _by_code(results):
    return {result.code: result for result in results}


def _run(period=FY):
    tables = aggregate(period)
    return tables, _by_code(checks.run_checks(period, tables))


def test_a_clean_year_passes_every_check(db):
    _concluded()
    _concluded(
        asked_desired_outcomes="asked_expressed", outcomes_achieved="fully", lacked_capacity="yes", advocacy="no"
    )
    _tables, results = _run()
    assert len(results) == 7
    assert all(result.passed for result in results.values()), {c: r.problems for c, r in results.items()}
    assert checks.ready_to_submit(list(results.values()))


def test_an_enquiry_without_an_assessed_risk_fails_and_is_listed(db):
    case = _concluded(RiskRecord(["physical"], "own_home", "known"))  # no assessment
    _concluded()
    result = _run()[1]["risk_outcome"]
    assert not result.passed and result.cases == [(case.pk, case.ref)] and result.case_count == 1


def test_a_risk_identified_without_a_result_fails(db):
    case = _concluded(RiskRecord(["physical"], "own_home", "known", "identified_no_action", ""))
    result = _run()[1]["result"]
    assert not result.passed and result.cases == [(case.pk, case.ref)]


def test_a_capacity_table_with_its_rows_swapped_is_caught(db):
    for _ in range(3):
        _concluded(lacked_capacity="yes", advocacy="yes")
    _concluded(lacked_capacity="no")
    tables, results = _run()
    assert results["advocacy"].passed
    swapped = copy.deepcopy(tables)
    swapped["capacity"]["yes"], swapped["capacity"]["no"] = swapped["capacity"]["no"], swapped["capacity"]["yes"]
    result = checks.check_advocacy(FY, swapped)
    assert not result.passed and "more than the 1 enquiries" in result.problems[0]
    assert not checks.ready_to_submit(checks.run_checks(FY, swapped))


def test_lacked_capacity_without_an_advocacy_answer_is_listed(db):
    case = _concluded(lacked_capacity="yes", advocacy="")
    result = _run()[1]["advocacy"]
    assert not result.passed and result.cases == [(case.pk, case.ref)]


def test_achievement_counts_that_do_not_add_up_to_asked_and_expressed_are_caught(db):
    case = _concluded(asked_desired_outcomes="asked_expressed", outcomes_achieved="")
    tables, results = _run()
    assert not results["achievement"].passed and results["achievement"].cases == [(case.pk, case.ref)]
    assert "add up to 0, not the 1" in results["achievement"].problems[0]


def test_more_individuals_than_cases_in_sg1_is_caught(db):
    _concluded()
    tables, results = _run()
    assert results["individuals"].passed
    wrong = copy.deepcopy(tables)
    wrong["sg1f_totals"]["s42"]["individuals"] = wrong["sg1f_totals"]["s42"]["cases"] + 1
    assert not checks.check_individuals(FY, wrong).passed
    wrong = copy.deepcopy(tables)
    wrong["sg1a_age"]["65-74"]["concerns"] += 5
    assert not checks.check_individuals(FY, wrong).passed


def test_a_ceased_enquiry_with_a_risk_not_ceased_fails(db):
    case = _concluded(
        RiskRecord(["physical"], "own_home", "known", "ceased"),
        RiskRecord(["neglect"], "own_home", "known", "no_risk_no_action"),
    )
    _concluded(RiskRecord(["physical"], "own_home", "known", "ceased"))  # wholly ceased: fine
    result = _run()[1]["ceased"]
    assert not result.passed and result.cases == [(case.pk, case.ref)]


def test_an_unknown_age_is_a_warning_and_counted_as_unknown(db):
    case = _concluded(dob=None)
    tables, results = _run()
    result = results["age"]
    assert not result.passed and result.severity == checks.WARNING and result.cases == [(case.pk, case.ref)]
    assert tables["sg1a_age"]["unknown"]["s42"] == 1 and "counted as age" in result.problems[0]
    assert checks.ready_to_submit(list(results.values()))  # a warning does not block submission


def _sheet_values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_command_writes_one_sheet_per_sg_table_unrounded_with_the_year_and_time(db, tmp_path, capsys):
    teams = [CaseFactory().team]
    scenario.build(teams)
    target = tmp_path / "return.xlsx"
    with pytest.raises(SystemExit) as exit_:  # the scenario has gaps for a lead to put right
        call_command("sac_return", "--year", "2024-25", "--xlsx", str(target))
    assert exit_.value.code == 3
    out = capsys.readouterr()
    assert "Checks before submission:" in out.out and "[FAILED] " in out.out
    assert out.out.count("\n  [") == 7  # every check is printed
    assert "Not ready to submit" in out.err
    book = load_workbook(target)
    assert book.sheetnames == [name for name, _, _ in SHEETS] + ["Checks"]
    assert {"SG1a", "SG1f", "SG2a", "SG2b", "SG2c", "SG2e", "SG3a", "SG4a"} <= set(book.sheetnames)
    tables = aggregate(FY)
    sg2a = book["SG2a"]
    assert "2024-25" in sg2a["A2"].value and sg2a["A3"].value.startswith("Made on ")
    rows = _sheet_values(sg2a)
    header = next(row for row in rows if row[0] == "Category")
    assert header[1:4] == ["Service provider", "Other – known to the individual", "Other – unknown to the individual"]
    figures = {row[0]: row[1:4] for row in rows if row[0] in dict(SPECS["sg2a_type_by_source"].rows).values()}
    for code, label in SPECS["sg2a_type_by_source"].rows:
        assert figures[label] == [tables["sg2a_type_by_source"][code][c] for c in SPECS["sg2a_type_by_source"].columns]
    # Unrounded: the true counts, including ones a SAB publication would hide.
    assert any(value not in (None, 0) and value % 5 for row in rows for value in row[1:4] if isinstance(value, int))
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="reporting.sac_return").exists()


def test_the_command_refuses_a_year_not_in_the_form_2024_25(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2024-25"):
        call_command("sac_return", "--year", "2024", "--xlsx", str(tmp_path / "x.xlsx"))


def test_the_workbook_shows_official_labels_for_the_seven_outcomes():
    tables = {spec.id: {code: dict.fromkeys(spec.columns, 0) for code, _ in spec.rows + (("total", ""),)}
              for spec in SPECS.values()}  # fmt: skip
    data = render_workbook(FY, tables, [], produced_at=datetime.datetime(2025, 5, 1, 9, 30, tzinfo=LONDON))
    sheet = load_workbook(io.BytesIO(data))["SG2c"]
    labels = [row[0] for row in _sheet_values(sheet)]
    assert "Enquiry ceased at the individual's request and no action taken" in labels
    assert "Assessment inconclusive and action taken" in labels
    assert sheet["A3"].value.startswith("Made on 01 May 2025 at 09:30")


def test_a_lead_sees_the_checks_with_links_and_queues_the_workbook(world, login, django_capture_on_commit_callbacks):
    case = _concluded(RiskRecord(["physical"], "own_home", "known"), dob=None)
    client = login(world.lead)
    page = client.get(URL, {"year": "2024-25"})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("cases:detail", args=[case.pk]) in html and "<strong>Failed</strong>" in html
    assert '<th scope="row">' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"year": "2024-25"})
    assert response.status_code == 302
    run = ReturnRun.objects.get()
    assert run.status == ReportStatus.DONE and run.year_label == "2024-25" and run.checks_passed is False
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="reporting.returnrun").exists()
    download = client.get(reverse("reporting:sac_return_download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('sac-return_2024-25_UNROUNDED.xlsx"')
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["Checks"]["A4"].value.startswith("NOT ready")
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_type="reporting.returnrun").exists()


def test_the_task_is_given_the_run_id_only(world, django_capture_on_commit_callbacks, monkeypatch):
    from reporting import requests, tasks

    sent = []
    monkeypatch.setattr("reporting.requests.send_after_commit", lambda task, *args, **kw: sent.append((task, args)))
    requests.request_return(user=world.lead, year=FY)
    assert sent == [(tasks.generate_return, (ReturnRun.objects.get().pk,))]


@pytest.mark.parametrize("role", ["sab_member", "sysadmin", "practitioner"])
def test_no_one_but_a_lead_gets_the_page_or_the_workbook(world, login, role):
    run = ReturnRun.objects.create(requested_by=world.lead, year_start=FY.start, status=ReportStatus.DONE)
    client = login(getattr(world, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"year": "2024-25"}).status_code == 403
    assert client.get(reverse("reporting:sac_return_download", args=[run.pk])).status_code == 403
    assert ReturnRun.objects.count() == 1
