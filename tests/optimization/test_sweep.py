"""Scenario sweeps: the design of runs, and runs on a real Dask cluster."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pyogrio
import pytest

from wufei_gis.errors import InputError
from wufei_gis.optimization.planning import solve_scenario
from wufei_gis.optimization.sweep import SweepOptions, run_sweep
from wufei_gis.samples import load_sample
from wufei_gis.sensitivity import tornado_table, write_sweep_pdf, write_sweep_table
from wufei_gis.sweep_design import design_runs, parse_vary

distributed = pytest.importorskip("distributed")


# --- design ---------------------------------------------------------------------------
def test_parse_vary_lists_and_ranges():
    assert parse_vary("generation_growth_rate=0.01,0.03").values == (0.01, 0.03)
    v = parse_vary("incineration_share_min=0.6:0.8:0.1")
    assert v.values == (0.6, 0.7, 0.8) and (v.low, v.high) == (0.6, 0.8)
    assert parse_vary("single_sourcing=true,false").values == (True, False)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("nonsense=1,2", "not a scenario key"),
        ("name=a,b", "not a scenario key"),
        ("circuity_factor", "no values"),
        ("circuity_factor=0.5,1.2", "circuity_factor"),  # below the key's range
        ("circuity_factor=1.5:1.2:0.1", "lo <= hi"),
        ("circuity_factor=1:2", "lo:hi:step"),
        ("circuity_factor=a:2:1", "not a number"),
    ],
)
def test_parse_vary_refuses_bad_specs(spec, words):
    with pytest.raises(InputError, match=words):
        parse_vary(spec)


def test_grid_is_the_cartesian_product_and_lhs_stays_in_range():
    a = parse_vary("circuity_factor=1.2,1.4,1.6")
    b = parse_vary("generation_growth_rate=0.01:0.03:0.01")
    grid = design_runs([a, b])
    assert len(grid) == 9 and grid[0].run_id == "run-001"
    assert {(r.params["circuity_factor"], r.params["generation_growth_rate"]) for r in grid} == {
        (x, y) for x in (1.2, 1.4, 1.6) for y in (0.01, 0.02, 0.03)
    }
    lhs = design_runs([a, b], design="lhs", samples=12, seed=1)
    cf = np.array([r.params["circuity_factor"] for r in lhs])
    assert len(lhs) == 12 and cf.min() >= 1.2 and cf.max() <= 1.6
    # a Latin hypercube puts one sample in each of the 12 strata of every key
    strata = np.floor((cf - 1.2) / 0.4 * 12).clip(0, 11)
    assert sorted(strata.tolist()) == list(range(12))
    with pytest.raises(InputError, match="more than once"):
        design_runs([a, a])


# --- runs on Dask ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as c:
        yield c


@pytest.fixture(scope="module")
def yuxi():
    return load_sample("yuxi")


def test_sweep_on_a_scheduler_address_equals_serial_solves(cluster, yuxi):
    vary = [parse_vary("incineration_share_min=0.6,0.7"), parse_vary("circuity_factor=1.3,1.5")]
    # solved to optimality (a MIP gap lets two runs stop at different near-optimal plans, as
    # the warm start heuristic has a time budget); then a run and a lone solve must agree
    base = yuxi.scenario("plan-2025").copy(mip_gap=1e-9)
    res = run_sweep(yuxi, base, vary, options=SweepOptions(scheduler=cluster.scheduler_address))
    assert list(res.runs["run_id"]) == ["run-001", "run-002", "run-003", "run-004"]
    assert (res.runs["status"] == "optimal").all()
    for row in res.runs.itertuples():
        sc = base.copy(
            incineration_share_min=row.incineration_share_min,
            circuity_factor=row.circuity_factor,
            threads=1,
        )
        alone = solve_scenario(yuxi, sc).summary()
        assert row.objective == pytest.approx(alone["objective"], rel=1e-7)
    # the higher incineration floor costs more at either circuity
    by = res.runs.set_index(["incineration_share_min", "circuity_factor"])["objective"]
    assert by[(0.7, 1.3)] > by[(0.6, 1.3)] and by[(0.7, 1.5)] > by[(0.6, 1.5)]
    rec = res.records()[0]
    assert rec["params"] == {"incineration_share_min": 0.6, "circuity_factor": 1.3}
    assert json.dumps(res.records())  # JSON-ready


def test_a_failed_run_is_reported_and_the_rest_continue(cluster, yuxi):
    base = yuxi.scenario("plan-2025").copy(required_candidates=["YX-CTS-07"])
    vary = [parse_vary("max_new_sites=0,3")]
    res = run_sweep(yuxi, base, vary, options=SweepOptions(scheduler=cluster.scheduler_address))
    status = dict(zip(res.runs["max_new_sites"], res.runs["status"], strict=True))
    assert status[3] == "optimal" and status[0] == "error"
    err = res.runs.loc[res.runs["max_new_sites"] == 0, "error"].iloc[0]
    assert "YX-CTS-07" in err or "max_new_sites" in err


def test_cancel_stops_pending_runs(cluster, yuxi):
    vary = [parse_vary("circuity_factor=1.1:2.0:0.1")]
    res = run_sweep(
        yuxi,
        "plan-2025",
        vary,
        options=SweepOptions(scheduler=cluster.scheduler_address),
        should_cancel=lambda: True,
    )
    assert res.cancelled and len(res.runs) < 10


def test_outputs_table_tornado_and_pdf(tmp_path, cluster, yuxi):
    vary = [parse_vary("incineration_share_min=0.6,0.7"), parse_vary("circuity_factor=1.3,1.5")]
    res = run_sweep(
        yuxi, "plan-2025", vary, options=SweepOptions(scheduler=cluster.scheduler_address)
    )
    tor = tornado_table(res.runs, res.keys)
    assert tor["key"].iloc[0] == "incineration_share_min"  # the wider swing comes first
    out = write_sweep_table(res.runs, res.keys, tmp_path / "sweep.gpkg")
    back = pyogrio.read_dataframe(out, layer="sweep_runs")
    assert len(back) == 4 and set(back["status"]) == {"optimal"}
    assert "sweep_tornado" in {name for name, _ in pyogrio.list_layers(out)}
    pdf = write_sweep_pdf(res.runs, res.keys, tmp_path / "s.pdf", title="扫描", lang="zh")
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert len(doc) == 2 and "焚烧比例下限" in text and "最优" in text


def test_cli_sweep_local_cluster_json(tmp_path):
    out = tmp_path / "sweep.gpkg"
    cmd = [sys.executable, "-m", "wufei_gis.cli", "sweep", "--sample", "yuxi"]
    cmd += ["--scenario", "plan-2025", "--vary", "circuity_factor=1.3,1.5", "--workers", "2"]
    cmd += ["--out", str(out), "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [r["params"]["circuity_factor"] for r in doc["runs"]] == [1.3, 1.5]
    assert all(r["status"] == "optimal" for r in doc["runs"])
    assert len(pd.DataFrame(pyogrio.read_dataframe(out, layer="sweep_runs"))) == 2


def test_cli_sweep_bad_vary_is_one_line(tmp_path):
    cmd = [sys.executable, "-m", "wufei_gis.cli", "sweep", "--sample", "yuxi"]
    cmd += ["--scenario", "plan-2025", "--vary", "circuity=1,2"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "circuity" in proc.stderr
