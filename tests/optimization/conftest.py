"""Shared fixtures for the optimization tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cflp_instances import random_cflp

ORLIB = Path(__file__).resolve().parents[1] / "data" / "orlib"


@pytest.fixture
def orlib_dir() -> Path:
    """Folder with the OR-Library files copied for the tests."""
    return ORLIB


@pytest.fixture(scope="session")
def hard_instance() -> tuple[np.ndarray, ...]:
    """60 sites x 600 customers, split demand: HiGHS finds real incumbents
    within a second (with weak linking) but needs well over 3 s to prove optimality."""
    return random_cflp(60, 600, seed=1)
