"""`make test` and CI collect pytest.ini's testpaths: an app whose tests are not listed there
would never run (the documents, partnership and SARs apps' tests were missed for a while)."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_folder_with_tests_is_in_testpaths():
    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini")
    listed = set(config["pytest"]["testpaths"].split())
    with_tests = {
        path.parts[len(ROOT.parts)]
        for path in ROOT.glob("*/**/test_*.py")
        if not {".venv", "staticfiles", "node_modules"} & set(path.parts)
    }
    assert with_tests, "no test files found"
    assert with_tests <= listed, f"not collected by make test: {sorted(with_tests - listed)}"
