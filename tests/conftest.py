"""Shared fixtures for the engine tier (no Odoo)."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED_DIR", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "facturx"


@pytest.fixture(scope="session")
def corpus_dir():
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS
