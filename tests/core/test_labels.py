"""The label catalogue: complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import dataclasses
import doctest
import re
import string
from pathlib import Path

import pytest

from wufei_gis import labels
from wufei_gis.analysis import KPI_FIELDS, Kpis, column_label
from wufei_gis.export import EXPORT_FORMATS
from wufei_gis.labels import (
    FIELD_UNITS,
    KPI_UNITS,
    LABELS,
    PARAMETERS,
    incomplete_keys,
    label,
    missing_keys,
    param_info,
    unit_label,
    value_label,
)
from wufei_gis.results import FLOW_COLUMNS, GAP_COLUMNS, SITE_COLUMNS, SUMMARY_COLUMNS
from wufei_gis.scenario import Scenario
from wufei_gis.schema import (
    FACILITY_STATUSES,
    FACILITY_TYPES,
    LAYER_SPECS,
    LOCATION_PRECISIONS,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("wufei_gis", "ui", "optimization") for p in (ROOT / d).rglob("*.py")]

#: Keys whose Chinese and English texts are rightly the same: units and format names.
_SAME_IN_BOTH_PREFIXES = ("unit.",)
#: Labels that differ only in punctuation (Chinese full-width vs ASCII), no words.
_PUNCTUATION_KEYS = {"err.where_sep", "err.located", "err.list_sep"}
_SAME_IN_BOTH_KEYS = {"export.format.gpkg", *_PUNCTUATION_KEYS}


def test_doctests():
    assert doctest.testmod(labels).failed == 0


def test_every_key_has_chinese_and_english():
    assert incomplete_keys() == []
    for key, pair in LABELS.items():
        assert len(pair) == 2, key
        zh, en = pair
        assert zh.strip() and en.strip(), key


def test_chinese_differs_from_english_except_codes_and_units():
    same = {k for k, (zh, en) in LABELS.items() if zh == en}
    allowed = {k for k in same if k.startswith(_SAME_IN_BOTH_PREFIXES)} | _SAME_IN_BOTH_KEYS
    assert same - allowed == set()
    # the Chinese text is Chinese (or a code/unit), the English text is not
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert [k for k, (zh, _) in LABELS.items() if k not in allowed and not cjk.search(zh)] == []
    assert [k for k, (_, en) in LABELS.items() if k != "lang.zh" and cjk.search(en)] == []


def test_placeholders_match_between_languages():
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, (zh, en) in LABELS.items():
        assert fields(zh) == fields(en), key


def _literal_keys() -> tuple[set[str], set[str]]:
    """Keys used as literals in ``tr("...")`` / ``label("...")`` / a module's ``_t("...")``,
    and the prefixes of keys built at run time (``tr(f"layer.{name}")``, ``tr("layer." + n)``)."""
    literal, prefixes = set(), set()
    call = re.compile(r"""\b(tr|label|_t)\(\s*(f?)(["'])(.*?)\3\s*(\+?)""")
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        # a module's ``_t(key)`` reads ``label(f"<prefix>.{key}", ...)``
        t_prefix = re.search(r"""def _t\(.*\n\s+return label\(f["']([\w.]+)\{key\}""", text)
        for fn, is_f, _, key, plus in call.findall(text):
            if fn == "_t":
                if t_prefix is None:
                    continue
                key = t_prefix.group(1) + key
            elif fn == "label" and is_f and "{key}" in key:
                continue  # the ``_t`` helper itself
            if is_f or plus or "{" in key:
                prefixes.add(key.split("{", 1)[0])
            else:
                literal.add(key)
    return literal, prefixes


def test_every_key_used_in_code_exists():
    literal, prefixes = _literal_keys()
    assert len(literal) > 60  # the scan finds the GUI's keys
    assert "compare.need_two" in literal and "export.no_results" in literal
    assert missing_keys(literal) == []
    assert [p for p in sorted(prefixes) if not any(k.startswith(p) for k in LABELS)] == []


def test_data_values_and_fields_have_labels():
    assert missing_keys(f"layer.{n}" for n in LAYER_SPECS) == []
    assert missing_keys(f"type.{t}" for t in FACILITY_TYPES) == []
    assert missing_keys(f"st.{s}" for s in FACILITY_STATUSES) == []
    assert missing_keys(f"precision.{p}" for p in LOCATION_PRECISIONS) == []
    assert missing_keys(f"param.{f.name}" for f in dataclasses.fields(Scenario)) == []
    assert set(PARAMETERS) == {f.name for f in dataclasses.fields(Scenario)}
    assert missing_keys(f"export.format.{f}" for f in EXPORT_FORMATS) == []
    run_summary = [
        *SUMMARY_COLUMNS,
        "cost_method",
        "gate_cost",
        "unserved_cost",
        "incineration_share",
        "incineration_target",
        "landfill_tpd",
        "transfer_tpd",
        "direct_tpd",
        "new_sites",
        "binding_capacity",
        "binding_policy",
        "solve_s",
    ]
    result_columns = {*SITE_COLUMNS, *FLOW_COLUMNS, *GAP_COLUMNS, *run_summary}
    assert missing_keys(f"field.{c}" for c in result_columns) == []
    assert missing_keys(f"field.{c}" for c in FIELD_UNITS) == []
    kpis = {f.name for f in dataclasses.fields(Kpis)} - {"scenario", "status", "target_met"}
    assert set(KPI_UNITS) == kpis == set(KPI_FIELDS)


def test_solver_statuses_have_labels():
    from wufei_gis.optimization.solver import STATUSES

    assert missing_keys(f"solve_status.{s}" for s in STATUSES) == []


def test_label_lookup():
    assert label("status.saved", "zh", path="p.gpkg") == "已保存：p.gpkg"
    assert label("no.such.key", "en") == "no.such.key"
    with pytest.raises(ValueError, match="unknown language"):
        label("app.title", "fr")
    assert label("type.transfer_station", "zh") == "转运站"
    assert value_label("st", "under_construction", "zh") == "在建"
    assert value_label("type", "mystery", "zh") == "mystery"
    assert unit_label("t/d", "zh") == "吨/日" and unit_label("t/d", "en") == "t/d"
    assert unit_label("gap", "zh") == "" and unit_label("furlong", "en") == "furlong"


def test_column_labels_with_units():
    assert column_label("throughput_tpd") == "throughput (t/d) / 处理量 (吨/日)"
    assert column_label("mean_haul_km", lang="zh") == "平均运距 (按吨加权) (公里)"
    assert column_label("not_a_column") == "not_a_column"
    assert column_label("mip_gap", lang="en") == "MIP gap"  # a fraction: no unit in the header


def test_parameter_labels_in_the_users_language():
    assert param_info("collection_cost_yuan_tkm", "zh")[1] == "收运费率 (元/吨·公里)"
    assert param_info("collection_cost_yuan_tkm", "en")[1] == "Collection cost (yuan/t·km)"
    group, text, tip = param_info("landfill_cap_tpd", "zh")
    assert group == "policy" and text == "原生垃圾填埋上限 (吨/日)" and "零填埋" in tip
    assert param_info("description", "en") == (
        "identity",
        "Description",
        "description: Free text describing the scenario",
    )
    assert param_info("unknown", "en") == ("solver", "unknown", "unknown")
