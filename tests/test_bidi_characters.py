"""Direction-control characters cannot make a value read as something else.

"RTX5\u202eexe.png" displays as "RTX5gnp.exe": the override turns the rest of the line round.
Typed text with such characters is refused (and kept); text already stored or imported is
shown with each character as its visible code, on every page and in both PDFs.
"""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory
from outcomes.tests.factories import DesiredOutcomeFactory
from reporting.aggregation import Period
from reporting.pdf import pdf_text
from reporting.rendering import build_report
from reporting.tests import scenario

pytestmark = pytest.mark.django_db

CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
TRICK = "Invoice RTX5\u202eexe.png end"
SHOWN = "Invoice RTX5[U+202E]exe.png end"


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_stored_text_with_a_direction_control_is_shown_harmless_on_the_case_page(world, login, char):
    world.case.what_happened = f"Invoice RTX5{char}exe.png end"
    world.case.save()
    world.case.person.legal_name = f"Dana{char} Synthetic"
    world.case.person.save()
    body = login(world.practitioner).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert not CONTROLS.search(body)
    assert f"Invoice RTX5[U+{ord(char):04X}]exe.png end" in body
    assert f"Dana[U+{ord(char):04X}] Synthetic" in body


def test_the_chronology_and_the_msp_record_show_it_harmless(world, login):
    DesiredOutcomeFactory(case=world.case, words=TRICK)
    client = login(world.practitioner)
    for url in (reverse("cases:chronology", args=[world.case.pk]), reverse("outcomes:enquiry", args=[world.case.pk])):
        body = client.get(url).content.decode()
        assert not CONTROLS.search(body), url
    assert SHOWN in client.get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()


def test_typing_a_direction_control_is_refused_and_what_was_typed_is_kept(world, login):
    response = login(world.practitioner).post(
        reverse("outcomes:desired_outcome_add", args=[world.case.pk]),
        {"words": TRICK, "expressed_by": "adult", "expressed_on": "2020-01-02"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "invisible text-direction characters (U+202E)" in body
    assert SHOWN in body  # in the box, where they can see and remove it
    assert not CONTROLS.search(body)
    assert not world.case.desired_outcomes.exists()


def test_the_what_you_told_us_pdf_shows_it_harmless(
    world, login, settings, tmp_path, django_capture_on_commit_callbacks
):
    from outcomes.models import SummaryDocument

    settings.MEDIA_ROOT = tmp_path
    DesiredOutcomeFactory(case=world.case, words=TRICK)
    client = login(world.practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outcomes:summary_request", args=[world.case.pk]))
    summary = SummaryDocument.objects.get(case=world.case)
    download = client.get(reverse("outcomes:summary_download", args=[summary.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert not CONTROLS.search(text)
    assert "RTX5[U+202E]exe.png" in " ".join(text.split())


def test_the_sab_report_pdf_shows_a_team_name_harmless():
    team = TeamFactory(name="North RTX5\u202eexe.png Team")
    scenario.build([team])
    text = pdf_text(build_report(Period(scenario.FY_START, scenario.FY_END), team).pdf)
    assert not CONTROLS.search(text)
    assert "North RTX5[U+202E]exe.png Team" in " ".join(text.split())
