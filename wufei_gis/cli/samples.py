"""``wufei samples`` and ``wufei init``: the embedded sample regions."""

from __future__ import annotations

import argparse

from ._common import check_new_file

__all__ = ["register"]


def _cmd_samples(args: argparse.Namespace) -> int:
    from ..samples import list_samples, sample_info

    for name in list_samples():
        info = sample_info(name)
        print(
            f"{name}\t{info.get('title_zh', '')}\t{info.get('title_en', '')}\t"
            f"seed {info.get('seed', '')}\tdefault scenario: {info.get('default_scenario', '')}"
        )
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from ..samples import load_sample

    out = check_new_file(args.project, force=args.force)
    proj = load_sample(args.sample)
    proj.write(out)
    print(f"wrote {out}: {proj}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``samples`` and ``init`` to the ``wufei`` sub-commands."""
    s = subparsers.add_parser("samples", help="list the embedded sample regions")
    s.set_defaults(func=_cmd_samples)

    s = subparsers.add_parser("init", help="write a sample as an editable project GeoPackage")
    s.add_argument("project", help="project file to create (.gpkg)")
    s.add_argument("--sample", default="yuxi", help="sample name (default: yuxi)")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")
    s.set_defaults(func=_cmd_init)
