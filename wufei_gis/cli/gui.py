"""``wufei gui``: the desktop app, with exactly the options of ``wufei-gui``.

:func:`wufei_gis.app_options.add_gui_arguments` is the one definition of the
app's options: the ``gui`` sub-command here and ``wufei-gui``
(:func:`wufei_gis.ui.app.build_parser`) both build their parser with it.  The
command hands the parsed options back to :func:`wufei_gis.ui.app.main` as an
argument list; the app (and Qt) is imported
only when the command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ..app_options import GUI_DESCRIPTION, add_gui_arguments

__all__ = ["GUI_DESCRIPTION", "add_gui_arguments", "gui_argv", "register"]


def gui_argv(args: argparse.Namespace, actions: Sequence[argparse.Action]) -> list[str]:
    """Turn parsed app options back into the argument list ``wufei-gui`` would get.

    Options left at their default are omitted; a positional that starts with
    ``-`` follows ``--``.
    """
    argv: list[str] = []
    positionals: list[str] = []
    for action in actions:
        value = getattr(args, action.dest, None)
        if value is None or value == action.default:
            continue
        if not action.option_strings:
            positionals.append(str(value))
        elif action.nargs == 0:  # a flag such as --verbose
            argv.append(action.option_strings[-1])
        else:
            argv.append(f"{action.option_strings[-1]}={value}")
    if any(p.startswith("-") for p in positionals):
        argv.append("--")
    return argv + positionals


def _cmd_gui(args: argparse.Namespace) -> int:
    from ..ui.app import main as gui_main

    actions = add_gui_arguments(argparse.ArgumentParser(add_help=False))
    return int(gui_main(gui_argv(args, actions)) or 0)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``gui`` to the ``wufei`` sub-commands."""
    s = subparsers.add_parser(
        "gui", help="open the desktop app (same options as wufei-gui)", description=GUI_DESCRIPTION
    )
    for action in add_gui_arguments(s):
        if action.dest in ("verbose", "log"):
            # not given after ``gui``: keep the value given before it (``wufei -v gui``)
            action.default = argparse.SUPPRESS
    s.set_defaults(func=_cmd_gui)
