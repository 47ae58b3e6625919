"""The easy-read layout of the adult's "What you told us" summary: large print, short
sentences, one idea per line, and still a tagged PDF."""

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from outcomes import rendering, services
from outcomes.models import SummaryDocument
from outcomes.selectors import summary_context
from reporting.pdf import pdf_text

from .factories import DeclinedSupportFactory, DesiredOutcomeFactory, NegotiatedOutcomeFactory, PlanActionFactory


class _Ideas(HTMLParser):
    """The text of each `<p class="idea ...">`, with its classes."""

    def __init__(self):
        super().__init__()
        self.ideas, self._open = [], None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class", "").split()
        if tag == "p" and "idea" in classes:
            self._open = {"classes": classes, "text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "p" and self._open is not None:
            self._open["text"] = " ".join(self._open["text"].split())
            self.ideas.append(self._open)
            self._open = None


@pytest.fixture
def case(world):
    team = world.case.team
    team.contact_phone = "0300 123 4567"
    team.save()
    DesiredOutcomeFactory(case=world.case, words="I want to keep my bank card.")
    NegotiatedOutcomeFactory(
        desired_outcome=DesiredOutcomeFactory(case=world.case, words="No police."),
        words="The police will be told.",
    )
    PlanActionFactory(case=world.case, action="Ring the bank.", responsible="Pat")
    DeclinedSupportFactory(case=world.case, what_was_declined="A day centre place.")
    return world.case


def _easy_read_html(case):
    return render_to_string("outcomes/summary_easy_read_pdf.html", summary_context(case=case))


def test_easy_read_is_large_print(case):
    html = _easy_read_html(case)
    body = re.search(r"body\s*\{[^}]*font-size:\s*(\d+(?:\.\d+)?)pt", html)
    assert body and float(body.group(1)) >= 20, "easy read body text must be at least 20 pt"
    headings = [float(size) for size in re.findall(r"h[12]\s*\{[^}]*font-size:\s*(\d+(?:\.\d+)?)pt", html)]
    assert headings and min(headings) > float(body.group(1))


def test_easy_read_puts_one_short_idea_on_each_line(case):
    parser = _Ideas()
    parser.feed(_easy_read_html(case))
    theirs = {"words", "address"}  # the person's own words and the team's address are kept whole
    ours = [idea["text"] for idea in parser.ideas if not theirs & set(idea["classes"])]
    assert len(ours) > 15
    for text in ours:
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", text) if s]
        assert len(sentences) == 1, f"more than one idea on a line: {text!r}"
        assert len(text.split()) <= 12, f"a long sentence for easy read: {text!r}"
    for expected in ("You can change your mind.", "Just tell us.", "Phone: 0300 123 4567", "We agreed this instead:"):
        assert expected in ours


def test_the_practitioner_asks_for_easy_read_and_gets_a_tagged_easy_read_pdf(
    case, world, login, tmp_path, django_capture_on_commit_callbacks
):
    client = login(world.practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outcomes:summary_request", args=[case.pk]), {"easy_read": "yes"})
    assert response.status_code == 302
    summary = SummaryDocument.objects.get(case=case)
    assert summary.easy_read and summary.status == "done"
    page = client.get(reverse("outcomes:enquiry", args=[case.pk])).content.decode()
    assert 'name="easy_read"' in page and "Download easy-read PDF" in page
    download = client.get(reverse("outcomes:summary_download", args=[summary.pk]))
    assert "what-you-told-us-easy-read-" in download["Content-Disposition"]
    pdf = b"".join(download.streaming_content)
    lines = [" ".join(line.split()) for line in pdf_text(pdf).splitlines()]
    assert "You can change your mind." in lines
    assert "Just tell us." in lines
    assert "I want to keep my bank card." in " ".join(lines)
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    path = tmp_path / "easy-read.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert re.search(r"^Title:\s+What you told us \(easy read\)", info, re.MULTILINE), info


def test_the_standard_layout_is_still_the_default(case, world):
    summary = services.summary_request(case=case, actor=world.practitioner)
    rendering.summary_render(summary_id=summary.pk)
    summary.refresh_from_db()
    assert not summary.easy_read
    with summary.file.open("rb") as f:
        text = pdf_text(f.read())
    assert "This is a summary of what you told us." in " ".join(text.split())
