"""The type of an upload is read from its content (libmagic), never from its name."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from documents.sniffing import ALLOWED, NAME_LIMIT, REFUSED_TYPE, display_name, sniff

from . import samples


def _file(content, name="file.bin"):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: samples.PDF, ("application/pdf", "pdf")),
        (samples.png, ("image/png", "png")),
        (samples.jpeg, ("image/jpeg", "jpg")),
        (samples.xlsx, ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")),
        (lambda: samples.TEXT, ("text/plain", "txt")),
    ],
)
def test_allowed_types_are_recognised_by_their_content_whatever_their_name(make, expected):
    assert sniff(_file(make(), name="renamed.exe")) == expected


@pytest.mark.parametrize("content", [samples.EXE, samples.ELF, samples.HTML, samples.plain_zip()])
def test_programs_web_pages_and_archives_are_refused_even_when_named_as_a_pdf(content):
    with pytest.raises(ValidationError) as refused:
        sniff(_file(content, name="report.pdf"))
    assert refused.value.messages == [REFUSED_TYPE]


def test_an_empty_file_is_refused_with_its_own_message():
    with pytest.raises(ValidationError, match="The file is empty"):
        sniff(_file(b""))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_are_either_an_allowed_type_or_refused_with_the_message(content):
    try:
        content_type, extension = sniff(_file(content))
    except ValidationError as refused:
        assert refused.messages in ([REFUSED_TYPE], ["The file is empty. Choose the file again."])
    else:
        assert ALLOWED[content_type][0] == extension


@pytest.mark.parametrize(
    "name, shown",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\pat\\letter.docx", "letter.docx"),
        ("<b>x</b>.pdf", "b_.pdf"),
        ("<script>alert(1).pdf", "_script_alert(1).pdf"),
        ("bank\x00letter\x1b.pdf", "bankletter.pdf"),
        ("...", "unnamed file"),
        ("", "unnamed file"),
    ],
)
def test_the_uploaded_name_is_display_text_only(name, shown):
    assert display_name(name) == shown


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_any_name_becomes_short_safe_display_text(name):
    shown = display_name(name)
    assert 0 < len(shown) <= NAME_LIMIT
    assert not set(shown) & set("/\\<>\"'\x00")
