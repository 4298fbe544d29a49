"""Where log records go: stderr for people, optionally a file with everything.

Used by both entry points (``wufei`` and ``wufei-gui``).  Nothing here writes
to stdout, so ``--json`` output stays one JSON document.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["configure_logging"]

_LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def configure_logging(*, verbose: bool = False, log_file: str | None = None) -> None:
    """Log to stderr (warnings, or everything from INFO with ``verbose``) and optionally a file.

    The file gets every record from DEBUG on, solver output included; stdout
    never carries log lines, so ``--json`` output stays one JSON document.
    Handlers added by an earlier call are replaced; others (a host's) are kept.
    """
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, "_wufei", False)]:
        root.removeHandler(h)
        h.close()
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.INFO if verbose else logging.WARNING)
    to_stderr.setFormatter(logging.Formatter(_LOG_FORMAT))
    handlers: list[logging.Handler] = [to_stderr]
    if log_file:
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(logging.Formatter("%(asctime)s " + _LOG_FORMAT))
        handlers.append(to_file)
    for h in handlers:
        h._wufei = True  # type: ignore[attr-defined]
        root.addHandler(h)
    root.setLevel(logging.DEBUG if log_file else (logging.INFO if verbose else logging.WARNING))
