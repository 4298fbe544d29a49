"""ruff (lint + format) and mypy over the whole project are part of the test run.

One test per tool so a failure names what is left.  The tools come from the test extra
(pinned in requirements.lock); they run from the same virtual environment as pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "scripts" / "check.sh"


def _run(tool: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WUFEI_BIN=str(Path(sys.executable).parent), WUFEI_CHECK=tool)
    return subprocess.run(
        ["bash", str(CHECK)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.parametrize("tool", ["ruff-check", "ruff-format", "mypy"])
def test_code_is_clean(tool: str) -> None:
    run = _run(tool)
    assert run.returncode == 0, f"{tool} is not clean:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
