"""Random CFLP instances for the optimization tests.

Imported by name: tests/optimization is on sys.path.
"""

from __future__ import annotations

import numpy as np


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
