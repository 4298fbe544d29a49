"""wufei-gis (无废): planning solid-waste facilities for zero-waste-city plans."""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

__all__ = ["__version__", "sweep"]


def __getattr__(name: str) -> object:
    """``wufei_gis.sweep`` is :func:`wufei_gis.optimization.sweep.run_sweep` (lazy import)."""
    if name == "sweep":
        # the package root is the public facade, not core: it may reach the optimization
        # layer, but only on demand (core modules import `wufei_gis` for its version)
        module = importlib.import_module("wufei_gis.optimization.sweep")
        return module.run_sweep
    msg = f"module 'wufei_gis' has no attribute {name!r}"
    raise AttributeError(msg)
