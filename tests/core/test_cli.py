"""The ``wufei`` CLI: samples, init, solve, and clear errors (exit 2, no traceback)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pyogrio
import pytest

from wufei_gis.cli import main
from wufei_gis.project import Project


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wufei_gis.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_samples_lists_yuxi_first(capsys):
    assert main(["samples"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("yuxi\t玉溪市")
    assert any(line.startswith("jincheng") for line in out)


def test_init_writes_an_editable_project(tmp_path, capsys):
    path = tmp_path / "yx.gpkg"
    assert main(["init", str(path), "--sample", "yuxi"]) == 0
    proj = Project.read(path)
    assert len(proj.counties) == 9
    assert {"baseline-2020", "plan-2025"} <= set(proj.scenarios)
    assert main(["init", str(path)]) == 2  # refuses to overwrite
    assert "already exists" in capsys.readouterr().err


def test_solve_sample_json_and_layers(tmp_path):
    out = tmp_path / "r.gpkg"
    res = run_cli(
        "solve", "--sample", "yuxi", "--scenario", "plan-2025", "--out", str(out), "--json"
    )
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["scenario"] == "plan-2025"
    assert summary["status"] in ("optimal", "feasible")
    for key in (
        "objective",
        "transport_cost",
        "fixed_cost",
        "unserved_tpd",
        "solver",
        "mip_gap",
        "runtime_s",
    ):
        assert key in summary
    layers = {n for n, _ in pyogrio.list_layers(out)}
    assert {"proposed_sites", "flows", "county_gaps", "run_summary"} <= layers
    gaps = pyogrio.read_dataframe(out, layer="county_gaps")
    assert (abs(gaps["served_tpd"] + gaps["unserved_tpd"] - gaps["generation_tpd"]) < 1e-6).all()


def test_solve_project_file_writes_results_into_it(tmp_path):
    path = tmp_path / "yx.gpkg"
    assert main(["init", str(path)]) == 0
    assert main(["solve", str(path), "--scenario", "baseline-2020"]) == 0
    assert main(["solve", str(path), "--scenario", "plan-2025"]) == 0
    summary = pyogrio.read_dataframe(path, layer="run_summary")
    assert sorted(summary["scenario"]) == ["baseline-2020", "plan-2025"]
    Project.read(path)  # still a valid project


def _expect_error(capsys, argv, *needles):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("wufei: error:") and "Traceback" not in err
    for n in needles:
        assert n in err, err
    return err


def test_bad_inputs_exit_2_with_one_clear_message(tmp_path, capsys, tiny_project):
    _expect_error(
        capsys,
        ["solve", str(tmp_path / "missing.gpkg"), "--out", "x.gpkg"],
        "missing.gpkg",
        "file not found",
    )
    _expect_error(
        capsys,
        ["solve", "--sample", "yuxi", "--scenario", "nope", "--out", str(tmp_path / "r.gpkg")],
        "unknown scenario 'nope'",
    )
    path = tiny_project.write(tmp_path / "p.gpkg")
    # negative generation
    gen = pyogrio.read_dataframe(path, layer="generation")
    gen.loc[1, "generation_tpd"] = -3.0
    pyogrio.write_dataframe(gen, path, layer="generation")
    _expect_error(
        capsys,
        ["solve", str(path), "--scenario", "baseline"],
        "layer 'generation'",
        "row 2",
        "generation_tpd",
    )
    # facility in an unknown county
    path2 = tiny_project.write(tmp_path / "p2.gpkg")
    fac = pyogrio.read_dataframe(path2, layer="facilities")
    fac.loc[0, "county_id"] = "000000"
    pyogrio.write_dataframe(fac, path2, layer="facilities")
    _expect_error(
        capsys, ["solve", str(path2), "--scenario", "baseline"], "unknown county '000000'", "row 1"
    )
    # missing column
    path3 = tiny_project.write(tmp_path / "p3.gpkg")
    fac = pyogrio.read_dataframe(path3, layer="facilities").drop(columns=["capacity_tpd"])
    pyogrio.write_dataframe(fac, path3, layer="facilities")
    _expect_error(capsys, ["solve", str(path3), "--scenario", "baseline"], "capacity_tpd")
    # missing layer
    path4 = tmp_path / "p4.gpkg"
    pyogrio.write_dataframe(pyogrio.read_dataframe(path, layer="counties"), path4, layer="counties")
    _expect_error(capsys, ["solve", str(path4)], "no 'facilities' layer")


def test_no_crs_exits_2(tmp_path, capsys, tiny_project):
    path = tiny_project.write(tmp_path / "p.gpkg")
    c = pyogrio.read_dataframe(path, layer="counties")
    c = c.set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        pyogrio.write_dataframe(c, path, layer="counties")
    _expect_error(
        capsys, ["solve", str(path), "--scenario", "baseline"], "no coordinate reference system"
    )


def test_subprocess_error_has_no_traceback(tmp_path):
    res = run_cli("solve", str(tmp_path / "none.gpkg"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and res.stderr.count("\n") == 1


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_json_stdout_is_one_document_whatever_the_solver_prints(tmp_path, solver):
    """Native solver output (HiGHS banner, CBC log) never reaches stdout."""
    import subprocess

    log = tmp_path / "run.log"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "wufei_gis.cli",
            "--log",
            str(log),
            "solve",
            "--sample",
            "yuxi",
            "--scenario",
            "plan-2025",
            "--out",
            str(tmp_path / "r.gpkg"),
            "--json",
            "--solver",
            solver,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)  # the whole of stdout is one JSON document
    assert summary["status"] == "optimal" and summary["solver"] == solver
    assert "Running HiGHS" not in run.stdout and "Welcome to the CBC" not in run.stdout
    text = log.read_text(encoding="utf-8")
    assert "DEBUG" in text  # the log file gets everything
    if solver == "highs":
        # whatever this HiGHS release prints natively ends up in the log, not on stdout
        assert "Running HiGHS" in text or "HiGHS" not in run.stderr


def test_human_output_formats_numbers(tmp_path, capsys):
    from wufei_gis.cli import main

    assert (
        main(
            [
                "solve",
                "--sample",
                "yuxi",
                "--scenario",
                "plan-2025",
                "--out",
                str(tmp_path / "r.gpkg"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert re.search(r"gap (0 %|< 0\.01 %|\d+\.\d\d %)", first), first
    assert re.search(r"objective \d{1,3}(,\d{3})+ yuan/d", out), out
    assert re.search(r"capacity gap\) [\d,]+\.\d\d t/d", out), out


# --- the parser: command groups and the shared gui options ----------------------
README = __import__("pathlib").Path(__file__).resolve().parents[2] / "README.md"


def _readme_commands() -> set[str]:
    """The sub-commands documented in README's "Command line" block."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    return {line.split()[1] for line in block.splitlines() if line.startswith("wufei ")}


def test_every_command_group_registers_its_commands():
    import argparse

    from wufei_gis.cli import COMMAND_GROUPS, build_parser

    seen: dict[str, str] = {}
    for group in COMMAND_GROUPS:
        sub = argparse.ArgumentParser().add_subparsers()
        group.register(sub)
        assert sub.choices, f"{group.__name__} registers no command"
        for name in sub.choices:
            assert name not in seen, f"{name} registered by {seen.get(name)} and {group.__name__}"
            seen[name] = group.__name__
    documented = _readme_commands()
    assert len(documented) >= 12  # the block was found and read
    assert set(seen) == documented
    top = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(top.choices) == documented


def _help_body(text: str) -> str:
    """Help text without the usage lines (they name the program)."""
    return text.split("\n\n", 1)[1]


def test_wufei_gui_and_wufei_gui_command_have_the_same_options(capsys):
    from wufei_gis.ui.app import main as gui_main

    with pytest.raises(SystemExit) as exit_info:
        main(["gui", "--help"])
    assert exit_info.value.code == 0
    sub_help = capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        gui_main(["--help"])
    assert exit_info.value.code == 0
    app_help = capsys.readouterr().out
    assert sub_help.startswith("usage: wufei gui") and app_help.startswith("usage: wufei-gui")
    for option in ("--sample", "--solve", "--screenshot", "--lang", "--size", "--verbose"):
        assert option in sub_help
    assert _help_body(sub_help) == _help_body(app_help)


@pytest.mark.parametrize(
    "argv",
    [
        ["gui"],
        ["gui", "p.gpkg", "--solve", "plan-2025", "--lang", "en", "--size", "800x600"],
        ["gui", "--sample", "yuxi", "--screenshot", "out.png", "-v", "--log", "LOG"],
        ["-v", "--log", "LOG", "gui", "--sample", "yuxi"],
        ["gui", "--", "-odd.gpkg"],
    ],
)
def test_wufei_gui_passes_the_same_options_to_the_app(monkeypatch, tmp_path, argv):
    from wufei_gis.ui import app

    log = str(tmp_path / "g.log")
    argv = [log if a == "LOG" else a for a in argv]
    received: list[list[str]] = []
    monkeypatch.setattr(app, "main", lambda gui_argv: received.append(gui_argv) or 0)
    assert main(argv) == 0
    (gui_argv,) = received
    expected = app.build_parser().parse_args(argv[argv.index("gui") + 1 :])
    if argv[0] == "-v":  # options given before the command reach the app too
        expected.verbose, expected.log = True, log
    assert app.build_parser().parse_args(gui_argv) == expected
