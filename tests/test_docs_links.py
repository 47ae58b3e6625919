"""The README and docs/ hang together: every relative link (and its #anchor) in them and in the
bench and deploy READMEs leads somewhere, and every document in docs/ is linked from the README."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCS = sorted((ROOT / "docs").glob("*.md"))
DOCUMENTS = [ROOT / "README.md", *DOCS, ROOT / "bench" / "README.md", ROOT / "msp" / "deploy" / "README.md"]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _outside_code_blocks(path):
    return re.sub(r"^```.*?^```", "", path.read_text(), flags=re.S | re.M)


def _prose(path):
    """The text of a Markdown file outside code blocks and inline code (a link's `text` kept)."""
    text = _outside_code_blocks(path).replace("[`", "[").replace("`]", "]")
    return re.sub(r"`[^`\n]*`", "", text)


def _anchors(path):
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", _outside_code_blocks(path), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def _relative_links(path):
    return [t for t in LINK.findall(_prose(path)) if not re.match(r"[a-z]+:", t)]


def test_every_relative_link_in_the_readme_and_docs_resolves_to_a_file_and_heading():
    broken = []
    checked = 0
    for document in DOCUMENTS:
        for target in _relative_links(document):
            checked += 1
            name, _, anchor = target.partition("#")
            file = (document.parent / name).resolve() if name else document
            if not file.exists():
                broken.append(f"{document.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
                broken.append(f"{document.relative_to(ROOT)}: {target} (no such heading)")
    assert checked > 20
    assert not broken, "\n".join(broken)


def test_every_document_in_docs_is_linked_from_the_readme():
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in _relative_links(ROOT / "README.md")}
    assert len(DOCS) > 5
    assert [d.name for d in DOCS if d.resolve() not in linked] == []


def test_the_anchor_rule_matches_githubs():
    anchors = _anchors(ROOT / "docs" / "performance.md")
    assert {"load-test-make-loadtest", "managers-workspace", "practice-quality-indexes-and-benchmark"} <= anchors
