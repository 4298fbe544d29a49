"""The desktop app's command-line options, defined once.

``wufei gui`` (:mod:`wufei_gis.cli.gui`) and ``wufei-gui``
(:func:`wufei_gis.ui.app.build_parser`) both build their parser with
:func:`add_gui_arguments`, so the two accept exactly the same options.  It
lives in core, below both the CLI and the app, so neither reaches across the
other's layer.
"""

from __future__ import annotations

import argparse

__all__ = ["GUI_DESCRIPTION", "add_gui_arguments"]

#: Description shown by ``wufei gui --help`` and ``wufei-gui --help``.
GUI_DESCRIPTION = "wufei-gis desktop app (无废城市设施规划)"


def add_gui_arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Add the desktop app's arguments to ``parser``; return the actions added."""
    return [
        parser.add_argument("project", nargs="?", help="project GeoPackage to open"),
        parser.add_argument("--sample", help="open an embedded sample region, e.g. yuxi"),
        parser.add_argument(
            "--solve", metavar="SCENARIO", help="solve this scenario after opening"
        ),
        parser.add_argument(
            "--screenshot", metavar="OUT.png", help="save a screenshot of the window and exit"
        ),
        parser.add_argument(
            "--compare",
            metavar="OTHER",
            help="open the comparison window: the --solve scenario (or the first solved one) "
            "vs OTHER, a scenario of the project (solved if needed) or RESULT.gpkg[:SCENARIO]; "
            "with --screenshot the picture is of this window",
        ),
        parser.add_argument(
            "--lang", choices=("zh", "en"), help="UI language (default: system locale)"
        ),
        parser.add_argument("--size", default="1400x880", help="window size for screenshots, WxH"),
        parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr"),
        parser.add_argument("--log", metavar="FILE", help="also write the full log to FILE"),
    ]
