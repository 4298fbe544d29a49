"""The ``wufei`` command line.

One module per command group, each with a ``register(subparsers)`` function,
listed once in :data:`COMMAND_GROUPS`:

- :mod:`~wufei_gis.cli.samples`: ``samples``, ``init``
- :mod:`~wufei_gis.cli.solve`: ``solve``
- :mod:`~wufei_gis.cli.sweep`: ``sweep`` (on Dask)
- :mod:`~wufei_gis.cli.project`: ``new``, ``import``, ``scenario``
- :mod:`~wufei_gis.cli.generation`: ``generation``
- :mod:`~wufei_gis.cli.network`: ``network import``, ``network list``
- :mod:`~wufei_gis.cli.towns`: ``towns import``, ``candidates generate``
- :mod:`~wufei_gis.cli.results`: ``export``, ``analyze``, ``compare``
- :mod:`~wufei_gis.cli.maps`: ``map``
- :mod:`~wufei_gis.cli.gui`: ``gui`` (the options of ``wufei-gui``)

What they share (progress bar, project loading, output checks, argument
types, the error -> exit-status mapping) is in :mod:`wufei_gis.cli._common`.
Every user error is a :class:`~wufei_gis.errors.WufeiError`, caught in one
place (:func:`main`): printed as one line on stderr, exit status 2, no traceback.

This package is the application's entry point and the one core package allowed
to reach up into :mod:`wufei_gis.optimization` (``solve``) and, for ``wufei
gui``, :mod:`wufei_gis.ui`; both are imported lazily inside the commands.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .. import __version__
from ..logsetup import configure_logging
from . import generation, gui, maps, network, project, results, samples, solve, sweep, towns
from ._common import run_command

__all__ = ["COMMAND_GROUPS", "build_parser", "main"]

#: The command group modules, in the order ``wufei --help`` lists their commands.
COMMAND_GROUPS = (
    samples,
    solve,
    sweep,
    project,
    generation,
    network,
    towns,
    results,
    maps,
    gui,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``wufei``."""
    p = argparse.ArgumentParser(
        prog="wufei",
        description="wufei-gis (无废): plan solid-waste facilities for zero-waste-city plans.",
    )
    p.add_argument("--version", action="version", version=f"wufei-gis {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    p.add_argument(
        "--log", metavar="FILE", help="also write the full log (solver output included) to FILE"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``wufei``; return the exit status.

    0 ok, 1 cancelled, 2 bad input or an operating-system error (one line on
    stderr naming the file and the fix), 130 interrupted, 141 the reader of
    stdout went away (``wufei ... | head``; quiet); see
    :func:`wufei_gis.cli._common.run_command`.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose, log_file=args.log)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return run_command(args.func, args)
