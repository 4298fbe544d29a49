"""The one shared layer of the ``wufei`` commands.

Every command group module (:mod:`wufei_gis.cli.solve`, :mod:`wufei_gis.cli.results`,
...) takes these from here and from nowhere else:

- :func:`progress_bar`: the ``progress(fraction, message)`` callback drawing a
  tqdm bar on stderr for long work (network import, matrices, solving);
- :func:`load_project`: the project a command works on (a project file, an
  embedded sample, or the project stored in a results file);
- :func:`check_new_file` and :func:`check_output`: output checks made before
  any long work;
- argparse types :func:`positive_float`, :func:`fraction` and :func:`year`
  (numbers parsed by :func:`wufei_gis.validation.parse_number`);
- :func:`run_command`: the error -> exit-status mapping used by
  :func:`wufei_gis.cli.main` (a :class:`~wufei_gis.errors.WufeiError` or an
  operating-system error is one line on stderr and status 2, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, overload

from ..errors import CancelledError, InputError, WufeiError, describe_os_error
from ..progress import ProgressCallback
from ..validation import check_output_file, check_output_folder, parse_number

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

__all__ = [
    "check_new_file",
    "check_output",
    "fraction",
    "load_project",
    "positive_float",
    "progress_bar",
    "run_command",
    "year",
]


# --- progress -------------------------------------------------------------------
@contextmanager
def progress_bar(desc: str, *, keep: bool = False) -> Iterator[ProgressCallback]:
    """Yield a ``progress(fraction, message)`` callback drawing a tqdm bar on stderr.

    Parameters
    ----------
    desc
        What the bar measures, e.g. ``"solve plan-2025"``; the callback's
        ``message`` (the current phase) is shown after the bar.
    keep
        ``False`` (solving): the bar is drawn only when stderr is a terminal and
        erased when the work ends, so a piped ``--json`` run or an error stays
        one clean line.  ``True`` (network import): the bar is always drawn,
        also into a log, and its last state stays on stderr as a record.
    """
    from tqdm import tqdm

    bar = tqdm(
        total=100,
        desc=desc,
        file=sys.stderr,
        leave=keep,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}{postfix}",
        disable=not keep and not sys.stderr.isatty(),
    )

    def progress(fraction: float | None, message: str) -> None:
        bar.set_postfix_str(message, refresh=False)
        if fraction is not None:
            bar.n = round(max(0.0, min(1.0, fraction)) * 100)
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()


# --- input ----------------------------------------------------------------------
@overload
def load_project(
    project: str | PathLike[str] | None,
    sample: str | None,
    *,
    option: str = ...,
    default_sample: str,
    results: str | PathLike[str] | None = ...,
) -> Project: ...


@overload
def load_project(
    project: str | PathLike[str] | None = ...,
    sample: str | None = ...,
    *,
    option: str = ...,
    default_sample: None = ...,
    results: str | PathLike[str] | None = ...,
) -> Project | None: ...


def load_project(
    project: str | PathLike[str] | None = None,
    sample: str | None = None,
    *,
    option: str = "--project",
    default_sample: str | None = None,
    results: str | PathLike[str] | None = None,
) -> Project | None:
    """Return the project a command works on.

    Parameters
    ----------
    project, sample
        A project GeoPackage, or the name of an embedded sample; not both.
    option
        How the command names its project argument in the error, e.g.
        ``"a PROJECT file"`` or ``"--project"``.
    default_sample
        Sample loaded when neither is given (``wufei solve`` uses ``"yuxi"``).
    results
        A results GeoPackage whose stored project is used when neither is given
        (``wufei analyze``, ``export``, ``compare``).

    Returns
    -------
    Project or None
        ``None`` only when nothing was given and there is no default sample.

    Raises
    ------
    InputError
        Both were given; or the project or sample cannot be read.
    """
    from ..project import Project
    from ..samples import load_sample

    if project and sample:
        raise InputError(
            f"give either {option} or --sample, not both",
            fix=f"drop {option} to use the sample, or --sample to use the file",
        )
    if project:
        return Project.read(project)
    name = sample or default_sample
    if name:
        return load_sample(name)
    if results is not None:
        from ..export import project_from_results_file

        return project_from_results_file(results)
    return None


# --- output checks --------------------------------------------------------------
def check_new_file(path: str | PathLike[str], *, force: bool) -> Path:
    """Refuse to overwrite an existing file unless ``force`` (``wufei init|new --force``)."""
    out = Path(path)
    if out.exists() and not force:
        raise InputError(
            f"'{out}' already exists",
            file=out,
            fix="use --force to overwrite it, or choose another name",
        )
    return out


def check_output(path: str | PathLike[str], *, folder: bool = False, option: str = "--out") -> Path:
    """Raise before long work if ``path`` cannot be written (as a folder if ``folder``)."""
    if folder:
        return check_output_folder(path, option=option)
    return check_output_file(path, option=option)


# --- argument types -------------------------------------------------------------
def _number(text: str, hint: str = "") -> float | None:
    try:
        return parse_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}{hint}") from None


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0 (e.g. ``--time-limit``)."""
    value = _number(text)
    if value is None or not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a number > 0, e.g. 60")
    return value


def fraction(text: str) -> float:
    """argparse type: an annual growth rate as a fraction in [-0.5, 1] (0.02 = 2 %/yr)."""
    value = _number(text, "; write 2 %/yr as 0.02")
    if value is None or not -0.5 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"'{text}' must be a fraction in [-0.5, 1], e.g. 0.02 for 2 %/yr"
        )
    return value


def year(text: str) -> int:
    """argparse type: a calendar year (whole number 1900-2200)."""
    value = _number(text, "; write the year as e.g. 2025")
    if value is None or not value.is_integer() or not 1900 <= value <= 2200:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year; write e.g. 2025")
    return int(value)


# --- errors -> exit status ------------------------------------------------------
def _silence_stdout() -> None:
    """Point stdout at the null device after a broken pipe (``wufei ... | head``).

    The standard Python recipe: without this the interpreter's final flush of
    stdout raises a second ``BrokenPipeError`` while shutting down.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (tests)
        pass


def run_command(func: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Run one command handler; map what it raises to the exit status.

    0 ok, 1 cancelled, 2 bad input or an operating-system error (one line on
    stderr naming the file and the fix), 130 interrupted, 141 the reader of
    stdout went away (``wufei ... | head``; quiet).
    """
    try:
        status = int(func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return status
    except CancelledError as err:
        print(f"wufei: {err}", file=sys.stderr)
        return 1
    except WufeiError as err:
        print(f"wufei: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except OSError as err:
        print(f"wufei: error: {describe_os_error(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("wufei: interrupted", file=sys.stderr)
        return 130
