"""Synthetic files of each kind, made in memory (no fixtures on disk)."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# The start of a Windows program (an "MZ" header with its PE signature): what a renamed
# executable looks like to libmagic, whatever its name says.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00L\x01"
    + b"\x00" * 200
)
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
TEXT = b"Called the bank on Tuesday; they will write.\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"


def png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def jpeg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "JPEG")
    return out.getvalue()


def xlsx():
    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def plain_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("run.bat", "echo hello")
    return out.getvalue()
