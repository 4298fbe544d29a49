"""The period slider over a phased result and "keep sites from…" in the app."""

from __future__ import annotations

from wufei_gis.results import write_results


def _solve(qtbot, w, name):  # type: ignore[no-untyped-def]
    worker = w.solve(name)
    qtbot.waitUntil(lambda: name in w.model.results, timeout=120_000)
    worker.wait()
    w.results_panel.selector.setCurrentText(name)
    return w.model.results[name]


def test_period_slider_filters_the_map(qtbot, window, tmp_path):  # type: ignore[no-untyped-def]
    w = window
    res = _solve(qtbot, w, "phased-2035")
    slider = w.phasing.slider
    assert slider.isVisibleTo(w) and slider.periods == [2025, 2030, 2035]
    shown = w.canvas.layer_frame("proposed_sites")
    assert set(shown["period"]) == {2035}  # the last period first, no duplicate sites
    assert shown["site_id"].is_unique
    slider.select(2025)
    first = w.canvas.layer_frame("proposed_sites")
    assert set(first["period"]) == {2025}
    assert set(first["site_id"]) <= set(res.proposed_sites["site_id"])
    assert slider.year_label.text() == "2025"
    assert len(first) < len(shown)  # stations open in later periods are not drawn in 2025
    w.resize(1300, 850)
    w.grab().save(str(tmp_path / "phased_2025.png"))
    # a single-period result hides the slider
    _solve(qtbot, w, "plan-2025")
    assert not slider.isVisibleTo(w)
    assert "period" not in w.canvas.layer_frame("proposed_sites").columns


def test_keep_sites_from_a_result_file(qtbot, window, tmp_path):  # type: ignore[no-untyped-def]
    from wufei_gis.ui.phasing_panel import keep_sites_from

    w = window
    res = _solve(qtbot, w, "phased-2035")
    path = write_results(res, tmp_path / "a.gpkg")
    opened = set(res.proposed_sites.loc[res.proposed_sites["is_new"], "site_id"])
    w.scenario_panel.selector.setCurrentText("plan-2025")
    assert w.scenario_panel.current() == "plan-2025"
    worker = keep_sites_from(w, path)
    assert worker is not None
    qtbot.waitUntil(lambda: not worker.isRunning(), timeout=120_000)
    qtbot.waitUntil(lambda: "plan-2025" in w.model.results, timeout=10_000)
    kept = w.model.results["plan-2025"]
    assert opened <= set(kept.proposed_sites["site_id"])
    assert kept.summary()["kept_from"] == "a.gpkg:phased-2035"
    assert w.actions_by_key  # the window still works
    assert w.phasing.action.text()
