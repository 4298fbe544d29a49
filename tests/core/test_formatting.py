"""Numbers for people: wufei_gis.formatting."""

from __future__ import annotations

import doctest
import math

import pytest

from wufei_gis import formatting
from wufei_gis.formatting import (
    format_bare,
    format_cell,
    format_gap,
    format_input,
    format_km,
    format_percent,
    format_seconds,
    format_summary,
    format_tpd,
    format_value,
    format_yuan,
)


def test_doctests():
    assert doctest.testmod(formatting).failed == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0006037, "0.06 %"),
        (0.0, "0 %"),
        (3e-6, "< 0.01 %"),
        (None, "–"),
        (math.nan, "–"),
        (0.125, "12.50 %"),
    ],
)
def test_gap(value, text):
    assert format_gap(value) == text


def test_units():
    assert format_tpd(1234567.891) == "1,234,567.89 t/d"
    assert format_tpd(-2.5, signed=True) == "-2.50 t/d"
    assert format_tpd(2.5, signed=True) == "+2.50 t/d"
    assert format_yuan(150798.858) == "150,799 yuan/d"
    assert format_yuan(12e6, per_day=False) == "12,000,000 yuan"
    assert format_km(12.345) == "12.3 km"
    assert format_percent(0.65) == "65.0 %"
    assert format_seconds(0.071) == "0.07 s" and format_seconds(52.8) == "52.8 s"
    assert format_seconds(192) == "3 min 12 s"


def test_format_value_by_unit():
    assert format_value(True) == "yes"
    assert format_value(1200) == "1,200"
    assert format_value(0.5, "%") == "50.0 %"
    assert format_value("红塔区") == "红塔区"
    assert format_value(None, "t/d") == "–"


def test_units_in_chinese():
    assert format_tpd(1290.956, lang="zh") == "1,290.96 吨/日"
    assert format_yuan(48210.4, lang="zh") == "48,210 元/日"
    assert format_km(12.345, lang="zh") == "12.3 公里"
    assert format_seconds(192, lang="zh") == "3 分 12 秒"
    assert format_value(False, lang="zh") == "否"
    assert format_value(0.0006037, "gap", lang="zh") == "0.06 %"
    assert format_value(3, "yuan/t", lang="zh") == "3 元/吨"


def test_table_cells_and_bare_numbers():
    assert format_cell(1234567.8) == "1,234,568"
    assert format_cell(12345) == "12,345"
    assert format_cell(0.123456789) == "0.123457"
    assert format_cell(math.nan) == "" and format_cell(None) == ""
    assert format_cell("红塔区") == "红塔区"
    assert format_bare(-8.0, "t/d", signed=True) == "-8.00"
    assert format_bare(0.25, "%", signed=True) == "+25.0 %"
    assert format_bare(150798.858, "yuan/d") == "150,799"
    assert format_bare(None, "t/d") == "–"


def test_input_text_reads_back():
    from wufei_gis.scenario import SizeClass

    assert format_input(1.4) == "1.4" and format_input(1200.0) == "1200"
    assert format_input(None) == ""
    assert format_input({"YX-LF-03": "closed"}) == '{"YX-LF-03": "closed"}'
    text = format_input([SizeClass("small", 100.0, 1e6)])
    assert '"name": "small"' in text and '"capacity_tpd": 100.0' in text


def test_run_summary_rows():
    rows = dict(
        format_summary(
            {"status": "time_limit", "unserved_tpd": 12.3456, "binding_policy": "", "extra_key": 7},
            lang="zh",
        )
    )
    assert rows == {
        "求解状态": "达到时间上限",
        "未处理量 (能力缺口)": "12.35 吨/日",
        "约束性政策": "–",
        "extra_key": "7",
    }
    assert dict(format_summary({"mip_gap": None}, lang="en")) == {"MIP gap": "–"}
