"""wufei-gis (无废): planning solid-waste facilities for zero-waste-city plans."""

from __future__ import annotations

__version__ = "0.1.0"
