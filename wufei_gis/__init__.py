"""wufei-gis (无废): planning solid-waste facilities for zero-waste-city plans."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "sweep"]


def __getattr__(name: str) -> object:
    """``wufei_gis.sweep`` is :func:`wufei_gis.optimization.sweep.run_sweep` (lazy import)."""
    if name == "sweep":
        from .optimization.sweep import run_sweep

        return run_sweep
    msg = f"module 'wufei_gis' has no attribute {name!r}"
    raise AttributeError(msg)
