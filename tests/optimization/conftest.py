"""Shared fixtures for the optimization tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ORLIB = Path(__file__).resolve().parents[1] / "data" / "orlib"


@pytest.fixture
def orlib_dir() -> Path:
    """Folder with the OR-Library files copied for the tests."""
    return ORLIB


def random_cflp(m: int, n: int, *, seed: int = 0) -> tuple[np.ndarray, ...]:
    """A random Euclidean CFLP (demand, capacity, fixed cost, unit cost) that is hard-ish.

    Sites and customers uniform in a 100 x 100 square; capacity tight (total
    capacity 2.5 x demand); fixed costs comparable to the transport costs.
    """
    rng = np.random.default_rng(seed)
    cust = rng.uniform(0, 100, (n, 2))
    site = rng.uniform(0, 100, (m, 2))
    d = rng.integers(5, 35, n).astype(float)
    u = rng.uniform(0.5, 1.5, m) * 2.5 * d.sum() / m
    f = rng.uniform(0.5, 1.5, m) * 20.0 * d.sum() / m
    c = np.linalg.norm(site[:, None, :] - cust[None, :, :], axis=2)
    return d, u, f, c


@pytest.fixture(scope="session")
def hard_instance() -> tuple[np.ndarray, ...]:
    """60 sites x 600 customers, split demand: HiGHS finds real incumbents
    within a second (with weak linking) but needs well over 3 s to prove optimality."""
    return random_cflp(60, 600, seed=1)
