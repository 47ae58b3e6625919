"""The "What you told us" summary: rendered by a Celery task, stored, downloaded with audit."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from outcomes import rendering, services
from outcomes.models import SummaryDocument
from reporting.pdf import pdf_text

from .factories import DesiredOutcomeFactory, NegotiatedOutcomeFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_summary_pdf_is_rendered_by_the_task_with_the_persons_name_and_outcomes(
    world, login, media, django_capture_on_commit_callbacks
):
    person = world.case.person
    person.preferred_name = "Dotty"
    person.save()
    DesiredOutcomeFactory(case=world.case, words="I want my grandson to stop taking my pension.")
    NegotiatedOutcomeFactory(
        desired_outcome=DesiredOutcomeFactory(case=world.case, words="I do not want the police involved."),
        words="The police will be told, and you can choose whether to speak to them.",
    )
    client = login(world.practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outcomes:summary_request", args=[world.case.pk]))
    assert response.status_code == 302
    summary = SummaryDocument.objects.get(case=world.case)
    assert summary.status == "done" and summary.requested_by == world.practitioner
    assert summary.render_ms is not None
    download = client.get(reverse("outcomes:summary_download", args=[summary.pk]))
    pdf = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(pdf).split())
    assert "Dotty" in text
    assert "I want my grandson to stop taking my pension." in text
    assert "The police will be told" in text
    assert world.case.ref in text
    assert AuditEvent.objects.filter(action="download", object_type="outcomes.summarydocument").count() == 1


def test_running_the_task_twice_keeps_one_file(world, media):
    from outcomes.tasks import render_summary

    summary = SummaryDocument.objects.create(case=world.case, requested_by=world.practitioner)
    render_summary.delay(summary.pk)
    summary.refresh_from_db()
    first = summary.file.name
    render_summary.delay(summary.pk)
    summary.refresh_from_db()
    assert summary.file.name == first
    assert len(list((media / "summaries").rglob("*.pdf"))) == 1


def test_summary_is_never_a_public_media_url_and_out_of_scope_is_404(world, login, media):
    summary = services.summary_request(case=world.case, actor=world.practitioner)
    rendering.summary_render(summary_id=summary.pk)
    assert login(world.outsider).get(reverse("outcomes:summary_download", args=[summary.pk])).status_code == 404
    assert login(world.sab_member).get(reverse("outcomes:summary_download", args=[summary.pk])).status_code == 403
    page = login(world.practitioner).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert "/media/" not in page
    assert reverse("outcomes:summary_download", args=[summary.pk]) in page


def test_a_summary_not_ready_cannot_be_downloaded(world, login):
    summary = SummaryDocument.objects.create(case=world.case, requested_by=world.practitioner)
    assert login(world.practitioner).get(reverse("outcomes:summary_download", args=[summary.pk])).status_code == 404


def _render(case, actor):
    summary = services.summary_request(case=case, actor=actor)
    rendering.summary_render(summary_id=summary.pk)
    summary.refresh_from_db()
    with summary.file.open("rb") as f:
        return f.read()


def test_summary_pdf_is_tagged_for_screen_readers(world, media, tmp_path):
    """The adult may use a screen reader: the PDF is tagged PDF/UA with its language and title."""
    from io import BytesIO

    from pypdf import PdfReader

    pdf = _render(world.case, world.practitioner)
    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower() == "en-gb"
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert re.search(r"^Title:\s+What you told us", info, re.MULTILINE), info


def test_summary_says_how_to_get_back_in_touch_with_the_team_not_the_board(world, media, settings):
    team = world.case.team
    team.contact_phone = "0300 123 4567"
    team.contact_email = "north.safeguarding@example.org"
    team.contact_address = "Town Hall\n1 Market Street\nDemoton DT1 1AA"
    team.save()
    text = " ".join(pdf_text(_render(world.case, world.practitioner)).split())
    assert f"Contact the {team.name}." in text
    assert "Phone: 0300 123 4567" in text
    assert "Email: north.safeguarding@example.org" in text
    assert "Town Hall 1 Market Street Demoton DT1 1AA" in text
    assert settings.BOARD_AREA_NAME not in text


def test_a_team_without_contact_details_is_flagged_to_the_practitioner(world, login, media):
    page = login(world.practitioner).get(reverse("outcomes:enquiry", args=[world.case.pk])).content.decode()
    assert "has no contact details yet" in page
    text = " ".join(pdf_text(_render(world.case, world.practitioner)).split())
    assert "Your safeguarding worker will tell you how to contact the team." in text
