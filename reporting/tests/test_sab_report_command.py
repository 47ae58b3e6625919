import csv

import pytest
from django.core.management import CommandError, call_command

from accounts.tests.factories import TeamFactory
from reporting.aggregation import FEEDBACK_TABLE_IDS
from reporting.pdf import pdf_text
from reporting.tests import scenario


@pytest.fixture
def teams(db):
    teams = [TeamFactory(name="North Team"), TeamFactory(name="South Team")]
    teams.append(scenario.build(teams))
    return teams


def _values(path):
    return [row["value"] for row in csv.DictReader(path.open())]


def test_the_command_writes_a_disclosure_controlled_csv_and_a_pdf(teams, tmp_path):
    out_csv, out_pdf = tmp_path / "r.csv", tmp_path / "r.pdf"
    call_command("sab_report", "--from", "2024-04-01", "--to", "2025-03-31", "--csv", out_csv, "--pdf", out_pdf)
    assert all(value == "*" or int(value) % 5 == 0 for value in _values(out_csv))
    assert "Whole board area" in pdf_text(out_pdf.read_bytes())


def test_the_command_writes_unrounded_figures_for_one_team_on_request(teams, tmp_path):
    out_csv, out_pdf = tmp_path / "r.csv", tmp_path / "r.pdf"
    call_command(
        "sab_report", "--from", "2024-04-01", "--to", "2025-03-31", "--team", "North Team", "--unrounded",
        "--csv", out_csv, "--pdf", out_pdf,
    )  # fmt: skip
    expected = scenario.expected_tables(teams[2], team=teams[0])
    rows = list(csv.DictReader(out_csv.open()))
    # The scenario's oracle covers the SAC tables; the front door's and the feedback's have their
    # own tests (frontdoor/tests/test_sab_tables.py, feedback/tests/test_sab_tables.py).
    own_tests = ("concerns_by_referrer", "conversion", *FEEDBACK_TABLE_IDS)
    assert set(own_tests) <= {row["table"] for row in rows}
    for row in (row for row in rows if row["table"] not in own_tests):
        assert int(row["value"]) == expected[row["table"]][row["row"]][row["column"]], row
    assert "Team: North Team" in pdf_text(out_pdf.read_bytes())


def test_a_period_about_too_few_adults_is_written_with_every_table_withheld(db, tmp_path):
    out_csv, out_pdf = tmp_path / "c.csv", tmp_path / "p.pdf"
    call_command("sab_report", "--from", "2024-04-01", "--to", "2025-03-31", "--csv", out_csv, "--pdf", out_pdf)
    assert set(_values(out_csv)) == {"*"}
    assert "too few adults for any figure to be published" in pdf_text(out_pdf.read_bytes())


def test_the_command_names_an_unknown_team(teams, tmp_path):
    with pytest.raises(CommandError, match="no team called 'Nowhere'"):
        call_command(
            "sab_report", "--from", "2024-04-01", "--to", "2025-03-31", "--team", "Nowhere",
            "--csv", tmp_path / "c", "--pdf", tmp_path / "p",
        )  # fmt: skip
