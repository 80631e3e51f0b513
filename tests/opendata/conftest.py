"""The standards' own validators (third-party, not part of the project): found in
``../shared/standards`` beside the checkout (or ``CABILDO_STANDARDS``); tests that need
them are skipped, saying so, where the folder is absent."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def standards_folder() -> Path | None:
    candidates = [os.environ.get("CABILDO_STANDARDS", ""), ROOT.parent / "shared" / "standards",
                  ROOT.parent.parent / "shared" / "standards"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "README.md").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def standards() -> Path:
    folder = standards_folder()
    if folder is None:
        pytest.skip("The standards' validators are not here: put them in ../shared/standards "
                    "(or set CABILDO_STANDARDS) to run this check")
    return folder
