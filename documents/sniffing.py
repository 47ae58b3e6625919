"""What kind of file an upload really is, from its content (libmagic through python-magic),
never from its name; and the uploaded name made safe to show.

Only the types in `ALLOWED` are kept. The stored file's extension comes from the sniffed type,
so a renamed executable (`report.pdf` that is really a Windows program) is refused, and a PDF
called `photo.exe` is stored and served as a PDF.
"""

import re
import unicodedata

import magic
from django.core.exceptions import ValidationError

# How much of the file libmagic reads: enough for the Office formats, whose zip or OLE
# directory names the document type near the start.
SNIFF_BYTES = 1024 * 1024

ALLOWED = {
    "application/pdf": ("pdf", "PDF"),
    "image/jpeg": ("jpg", "JPEG image"),
    "image/png": ("png", "PNG image"),
    "image/gif": ("gif", "GIF image"),
    "image/webp": ("webp", "WebP image"),
    "image/heic": ("heic", "HEIC image"),
    "image/heif": ("heif", "HEIF image"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "Word document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "Excel workbook"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx", "PowerPoint"),
    "application/vnd.oasis.opendocument.text": ("odt", "OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", "OpenDocument spreadsheet"),
    "application/msword": ("doc", "Word 97-2003 document"),
    "application/vnd.ms-excel": ("xls", "Excel 97-2003 workbook"),
    "text/plain": ("txt", "Plain text"),
}

REFUSED_TYPE = (
    "This kind of file cannot be attached. Attach a PDF, a photograph (JPEG, PNG, GIF, WebP or HEIC), "
    "an Office document (Word, Excel, PowerPoint, OpenDocument) or plain text. "
    "The type is read from the file's content, not its name."
)
EMPTY = "The file is empty. Choose the file again."


def sniff(uploaded):
    """The (content type, extension) of an uploaded file, read from its first bytes; a
    ValidationError with a clear message for an empty file or a type not in `ALLOWED`."""
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    if not head:
        raise ValidationError(EMPTY, code="empty")
    content_type = magic.from_buffer(head, mime=True)
    if content_type not in ALLOWED:
        raise ValidationError(REFUSED_TYPE, code="type")
    return content_type, ALLOWED[content_type][0]


NAME_LIMIT = 120
_UNSAFE = re.compile(r"[^\w .,()\-+]")


def display_name(name):
    """The uploaded file name as display text: its last path part, without control characters
    or markup, at most NAME_LIMIT characters (keeping its ending). Never used as a path."""
    name = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > NAME_LIMIT:
        stem, dot, ending = name.rpartition(".")
        ending = ending[:10] if dot else ""
        name = f"{(stem if dot else name)[: NAME_LIMIT - len(ending) - 2]}…{'.' + ending if ending else ''}"
    return name or "unnamed file"
