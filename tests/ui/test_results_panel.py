"""The results panel shows the run summary in the user's language, with units."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wufei_gis.editing import ProjectModel
from wufei_gis.results import RunResult
from wufei_gis.ui import i18n
from wufei_gis.ui.results_panel import ResultsPanel

#: A run summary as ``solve_scenario`` writes it (every key, raw numbers).
SUMMARY = {
    "scenario": "plan",
    "status": "optimal",
    "objective": 150798.858,
    "transport_cost": 48210.4,
    "fixed_cost": 12000.0,
    "unserved_tpd": 12.3456,
    "solver": "highs",
    "mip_gap": 0.0006037,
    "runtime_s": 0.071,
    "cost_method": "straight line",
    "gate_cost": 90000.0,
    "unserved_cost": 0.0,
    "incineration_share": 0.65,
    "incineration_target": 0.6,
    "landfill_tpd": 452.1,
    "transfer_tpd": 800.0,
    "direct_tpd": 490.9,
    "new_sites": 2,
    "binding_capacity": "YX-INC-01",
    "binding_policy": "",
    "solve_s": 52.8,
}


@pytest.fixture
def panel(qtbot, yuxi, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "core"))
    from test_analysis import make_result

    model = ProjectModel(yuxi, recovery_dir=tmp_path)
    panel = ResultsPanel(model)
    qtbot.addWidget(panel)
    r = make_result("plan")
    model.set_result(
        RunResult("plan", r.proposed_sites, r.flows, r.county_gaps, pd.DataFrame([SUMMARY]))
    )
    return panel


def _rows(panel: ResultsPanel) -> dict[str, str]:
    t = panel.table
    return {t.item(i, 0).text(): t.item(i, 1).text() for i in range(t.rowCount())}


def test_results_panel_in_chinese_shows_units_and_per_cent(panel):
    i18n.set_language("zh")
    panel.retranslate()
    rows = _rows(panel)
    assert panel.table.rowCount() == len(SUMMARY)
    assert rows["相对间隙"] == "0.06 %"
    assert rows["焚烧占比"] == "65.0 %"
    assert rows["焚烧占比目标"] == "60.0 %"
    assert rows["未处理量 (能力缺口)"] == "12.35 吨/日"
    assert rows["目标函数值"] == "150,799 元/日"
    assert rows["求解时间"] == "0.07 秒"
    assert rows["求解状态"] == "最优"
    assert rows["新建站点"] == "2"
    text = " ".join(rows.values())
    assert "0.0006" not in text and "0.65" not in text  # no raw fractions
    assert "t/d" not in text and "yuan" not in text  # units in Chinese


def test_results_panel_follows_the_language(panel):
    i18n.set_language("en")
    try:
        panel.retranslate()
        rows = _rows(panel)
        assert rows["MIP gap"] == "0.06 %"
        assert rows["Unserved (capacity gap)"] == "12.35 t/d"
        assert rows["Transport cost"] == "48,210 yuan/d"
        assert rows["Solver time"] == "52.8 s"
        assert rows["Status"] == "optimal"
        assert rows["Binding policies"] == "–"
        assert panel.table.horizontalHeaderItem(1).text() == "Value"
    finally:
        i18n.set_language("zh")
