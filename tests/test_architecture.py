"""Architecture: ui -> optimization -> core, and no Qt outside ui (import-linter).

The source tree maps ``optimization/`` and ``ui/`` into the ``wufei_gis``
namespace with setuptools' ``package-dir``.  import-linter (grimp) walks one
directory per top-level package, so the test assembles the installed layout
(``wufei_gis/``, ``wufei_gis/optimization/``, ``wufei_gis/ui/``) from copies of
the sources in a temporary folder and runs ``lint-imports`` on that, with the
contracts in ``pyproject.toml``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAPPING = {
    "wufei_gis": "wufei_gis",
    "wufei_gis/optimization": "optimization",
    "wufei_gis/ui": "ui",
    "wufei_gis/data": "data",
}


def _assemble(dest: Path) -> None:
    for target, source in MAPPING.items():
        shutil.copytree(
            ROOT / source,
            dest / target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", "*.geojson", "*.csv", "*.json", "*.md"
            ),
        )


def test_import_contracts_hold(tmp_path):
    _assemble(tmp_path / "src")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    res = subprocess.run(
        [exe, "--no-cache", "--config", "pyproject.toml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Contracts: " in res.stdout and " broken" in res.stdout
    assert "0 broken" in res.stdout


def test_contracts_catch_qt_in_core(tmp_path):
    """The contracts are not vacuous: a Qt import in core breaks them."""
    _assemble(tmp_path / "src")
    (tmp_path / "src/wufei_gis/project.py").write_text(
        (ROOT / "wufei_gis/project.py").read_text(encoding="utf-8")
        + "\nimport PyQt6.QtCore  # noqa\n",
        encoding="utf-8",
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    res = subprocess.run(
        [exe, "--no-cache", "--config", "pyproject.toml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode != 0
    assert "wufei_gis.project -> PyQt6" in res.stdout


def test_every_core_module_is_under_contract():
    """A new core module must be added to the contracts (only the CLI may import upwards)."""
    import tomllib

    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = cfg["tool"]["importlinter"]["contracts"]
    covered = set()
    for c in contracts:
        if c["type"] == "forbidden" and "wufei_gis.optimization" in c["forbidden_modules"]:
            covered |= set(c["source_modules"])
    core = {
        f"wufei_gis.{p.stem}"
        for p in (ROOT / "wufei_gis").glob("*.py")
        if p.stem not in ("__init__", "cli")
    }
    core |= {
        f"wufei_gis.{p.name}"
        for p in (ROOT / "wufei_gis").iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name != "cli"
    }
    assert core - covered == set(), (
        f"add these core modules to pyproject's contracts: {core - covered}"
    )
