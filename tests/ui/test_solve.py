"""Solving through the worker: result layers on the map, a working Cancel, screenshots."""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import ARTIFACTS
from shapely.geometry import Point, box
from uihelpers import make_window

from wufei_gis.errors import CancelledError
from wufei_gis.project import Project
from wufei_gis.scenario import Scenario
from wufei_gis.ui.i18n import tr
from wufei_gis.ui.worker import Worker


def _slow(n_steps, *, progress, should_cancel):
    for i in range(n_steps):
        if should_cancel():
            raise CancelledError("stopped")
        progress(i / n_steps, "solving")
        time.sleep(0.01)
    return "done"


def test_worker_result_error_cancel(qtbot):
    w = Worker(_slow, 3)
    with qtbot.waitSignals([w.result, w.finished], timeout=5000):
        w.start()
    assert w.value == "done"
    bad = Worker(lambda *, progress, should_cancel: 1 / 0)
    with qtbot.waitSignal(bad.error, timeout=5000) as sig:
        bad.start()
    assert "ZeroDivisionError" in sig.args[0]
    bad.wait()
    slow = Worker(_slow, 10_000)
    with qtbot.waitSignal(slow.cancelled, timeout=5000):
        slow.start()
        qtbot.wait(50)
        slow.cancel()
    assert slow.wait(2000)


def _wait_done(qtbot, window, timeout=180_000):
    qtbot.waitUntil(
        lambda: window.worker is not None and window.worker.isFinished(), timeout=timeout
    )
    qtbot.wait(50)  # deliver the queued result/error signals


def test_solve_shows_result_layers(window, qtbot):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    window.canvas.draw()
    assert window.grab().save(str(ARTIFACTS / "main_window_before_solve.png"))
    window.scenario_panel.selector.setCurrentText("plan-2025")
    window.actions_by_key["act.solve"].trigger()
    assert window.solve_dialog.isVisible()
    _wait_done(qtbot, window)
    assert window.last_error is None
    assert not window.solve_dialog.isVisible()
    res = window.model.results["plan-2025"]
    c = window.canvas
    assert c.result_scenario == "plan-2025"
    assert len(c._artists["proposed_sites"][0].get_offsets()) == len(res.proposed_sites)
    assert len(c._artists["flows"][0].get_segments()) == len(res.flows)
    assert len(c._artists["county_gaps"][0].get_paths()) >= len(res.county_gaps)
    assert c.deco.cax.get_visible()
    assert window.results_panel.table.rowCount() >= 9
    assert window.results_panel.current() == "plan-2025"
    c.draw()
    assert window.grab().save(str(ARTIFACTS / "main_window_after_solve.png"))
    window.actions_by_key["lang.en"].trigger()
    c.draw()
    assert window.grab().save(str(ARTIFACTS / "main_window_after_solve_en.png"))
    window.actions_by_key["lang.zh"].trigger()


def _large_project(n_side: int = 24, n_candidates: int = 400) -> Project:
    rng = np.random.default_rng(1)
    d = 0.05
    cells = [
        box(100 + i * d, 24 + j * d, 100 + (i + 1) * d, 24 + (j + 1) * d)
        for i in range(n_side)
        for j in range(n_side)
    ]
    ids = [f"{200000 + k}" for k in range(len(cells))]
    counties = gpd.GeoDataFrame(
        {"county_id": ids, "name_zh": ids, "name_en": ids}, geometry=cells, crs="EPSG:4326"
    )
    span = n_side * d
    fac = gpd.GeoDataFrame(
        {
            "facility_id": ["L1", "I1"],
            "name_zh": ["L1", "I1"],
            "type": ["landfill", "incinerator"],
            "status": ["operating", "operating"],
            "capacity_tpd": [4000.0, 3000.0],
            "county_id": [ids[0], ids[-1]],
        },
        geometry=[Point(100.02, 24.02), Point(100 + span - 0.02, 24 + span - 0.02)],
        crs="EPSG:4326",
    )
    xy = rng.uniform([100, 24], [100 + span, 24 + span], (n_candidates, 2))
    cands = gpd.GeoDataFrame(
        {
            "candidate_id": [f"C{k}" for k in range(n_candidates)],
            "type": "transfer_station",
            "capacity_tpd": 150.0,
            "fixed_cost_yuan_yr": rng.uniform(1e6, 2e6, n_candidates),
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs="EPSG:4326",
    )
    gen = pd.DataFrame(
        {"county_id": ids, "year": 2020, "generation_tpd": rng.uniform(5, 15, len(ids))}
    )
    sc = Scenario(
        "big", mip_gap=0.0, time_limit_s=600, single_sourcing=True, max_direct_haul_km=5.0
    )
    return Project.from_frames(counties, fac, gen, candidates=cands, scenarios=[sc], name="big")


def test_cancel_long_solve(qtbot):
    window = make_window(qtbot, _large_project())
    window.solve("big")
    dialog = window.solve_dialog
    qtbot.waitUntil(
        lambda: dialog.phase.text() == tr("phase.solving") or window.worker.isFinished(),
        timeout=120_000,
    )
    if window.worker.isFinished():
        pytest.skip("the synthetic project solved before it could be cancelled")
    qtbot.wait(300)
    t0 = time.perf_counter()
    dialog.cancel_button.click()
    assert not dialog.cancel_button.isEnabled()
    _wait_done(qtbot, window, timeout=30_000)
    assert time.perf_counter() - t0 < 15
    assert not dialog.isVisible()
    assert window.last_error is None  # cancelling is not an error
