"""Chinese and English UI strings: ``tr(key)`` with the language chosen at run time.

The language defaults to the system locale (``QLocale.system()``): Chinese
locales get Chinese, everything else English.  :func:`set_language` switches
it; widgets rebuild their texts in ``retranslate()`` when
:data:`language_changed` callbacks run.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["tr", "set_language", "language", "system_language", "on_language_changed",
           "field_label", "param_info", "LANGUAGES", "PARAM_GROUPS"]

LANGUAGES = ("zh", "en")
_lang = "zh"
_listeners: list[Callable[[str], None]] = []

# key: (中文, English)
STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("无废城市设施规划", "Zero-waste city facility planner"),
    "menu.file": ("文件(&F)", "&File"),
    "menu.edit": ("编辑(&E)", "&Edit"),
    "menu.view": ("视图(&V)", "&View"),
    "menu.tools": ("工具(&T)", "&Tools"),
    "menu.scenario": ("情景(&S)", "&Scenario"),
    "menu.language": ("语言(&L)", "&Language"),
    "menu.help": ("帮助(&H)", "&Help"),
    "act.new": ("新建项目", "New project"),
    "act.open": ("打开项目…", "Open project…"),
    "act.sample": ("打开示例（玉溪）", "Open sample (Yuxi)"),
    "act.import": ("导入图层…", "Import layer…"),
    "act.import_network": ("导入道路网…", "Import road network…"),
    "net.title": ("导入道路网", "Import road network"),
    "net.name": ("路网名称", "Network name"),
    "net.class_field": ("道路等级字段", "Road class field"),
    "net.speed_field": ("速度字段 (公里/时)", "Speed field (km/h)"),
    "net.oneway_field": ("单行字段", "One-way field"),
    "net.node_intersections": ("在线相交处打断（道路未在路口分段时）",
                               "Split lines where they cross (roads not split at junctions)"),
    "net.filter": ("道路文件 (*.osm.pbf *.pbf *.osm *.gpkg *.shp *.geojson *.json)",
                   "Road files (*.osm.pbf *.pbf *.osm *.gpkg *.shp *.geojson *.json)"),
    "net.done": ("已导入路网 {name}：{nodes} 个节点，{edges} 条路段。在情景参数中设置 network={name} 以按道路计算运距。",
                 "Imported road network {name}: {nodes} nodes, {edges} edges. Set the scenario parameter network={name} to route on it."),
    "act.save": ("保存", "Save"),
    "act.save_as": ("另存为…", "Save as…"),
    "act.export": ("导出…", "Export…"),
    "act.quit": ("退出", "Quit"),
    "act.undo": ("撤销", "Undo"),
    "act.redo": ("重做", "Redo"),
    "act.zoom_all": ("全图", "Zoom to all"),
    "act.zoom_layer": ("缩放到图层", "Zoom to layer"),
    "act.solve": ("求解情景", "Solve scenario"),
    "act.about": ("关于", "About"),
    "tool.pan": ("平移", "Pan"),
    "tool.zoom_box": ("框选放大", "Box zoom"),
    "tool.select": ("选择", "Select"),
    "tool.add_candidate": ("添加候选站点", "Add candidate"),
    "tool.move": ("移动要素", "Move feature"),
    "tool.delete": ("删除要素", "Delete feature"),
    "tool.draw_exclusion": ("绘制禁建区", "Draw exclusion zone"),
    "tool.edit_vertices": ("编辑禁建区节点", "Edit zone vertices"),
    "tool.identify": ("识别要素", "Identify feature"),
    "tool.measure": ("测量距离", "Measure distance"),
    "dock.layers": ("图层", "Layers"),
    "dock.scenario": ("情景参数", "Scenario"),
    "dock.results": ("求解结果", "Results"),
    "dock.table": ("属性表", "Attributes"),
    "layer.counties": ("区县", "Counties"),
    "layer.facilities": ("现有设施", "Facilities"),
    "layer.candidates": ("候选站点", "Candidates"),
    "layer.exclusions": ("禁建区", "Exclusion zones"),
    "layer.roads": ("道路网", "Road network"),
    "layer.generation": ("产生量", "Generation"),
    "layer.county_gaps": ("处理缺口", "Capacity gap"),
    "layer.flows": ("垃圾流向", "Waste flows"),
    "layer.proposed_sites": ("规划站点", "Proposed sites"),
    "layer.labels": ("标注", "Label"),
    "layer.color": ("颜色…", "Colour…"),
    "layer.size": ("大小", "Size"),
    "layer.up": ("上移", "Up"),
    "layer.down": ("下移", "Down"),
    "layer.none": ("（无）", "(none)"),
    "status.crs": ("坐标系 EPSG:4326", "CRS EPSG:4326"),
    "status.coords": ("经度 {lon:.5f}°  纬度 {lat:.5f}°", "Lon {lon:.5f}°  Lat {lat:.5f}°"),
    "status.no_cjk_font": ("未找到中文字体，地图标注改用英文名（请重新安装 wufei-gis 以获得内置字体）",
                           "No Chinese font found: map labels use English names "
                           "(reinstall wufei-gis to get its bundled font)"),
    "status.saved": ("已保存：{path}", "Saved: {path}"),
    "status.autosaved": ("已自动保存恢复文件", "Recovery file autosaved"),
    "status.solved": ("情景 {name} 求解完成：{status}", "Scenario {name} solved: {status}"),
    "status.cancelled": ("已取消", "Cancelled"),
    "status.rejected": ("输入无效：{msg}", "Rejected: {msg}"),
    "status.tool": ("工具：{tool}", "Tool: {tool}"),
    "status.draw_hint": ("单击添加节点，双击或回车结束，Esc 取消",
                         "Click to add vertices; double-click or Enter to finish; Esc cancels"),
    "status.identify_hint": ("单击要素查看其属性", "Click a feature to see its attributes"),
    "status.identified": ("{layer} 第 {row} 行：{name}", "{layer}, row {row}: {name}"),
    "status.measure_hint": ("单击逐点量测大地线距离，Esc 清除",
                            "Click points to measure the geodesic distance; Esc clears"),
    "msg.error": ("出错了", "Error"),
    "msg.unsaved_title": ("未保存的修改", "Unsaved changes"),
    "msg.unsaved": ("项目有未保存的修改，是否保存？", "The project has unsaved changes. Save them?"),
    "msg.recover_title": ("恢复未保存的工作", "Recover unsaved work"),
    "msg.recover": ("发现上次未正常关闭时自动保存的项目“{name}”（{time}）。是否恢复？",
                    "An autosaved copy of “{name}” ({time}) was found after the last session "
                    "ended unexpectedly. Recover it?"),
    "msg.no_scenario": ("项目中没有情景", "The project has no scenario"),
    "msg.export_missing": ("导出功能尚未安装", "Export is not available yet"),
    "msg.about": ("无废城市固体废物设施规划桌面工具。\n坐标系 EPSG:4326；单位：吨/日、公里、元。",
                  "Desktop tool for planning solid-waste facilities in zero-waste city plans.\n"
                  "CRS EPSG:4326; units: t/d, km, yuan."),
    "solve.title": ("求解中", "Solving"),
    "solve.cancel": ("取消", "Cancel"),
    "solve.start": ("准备中…", "Starting…"),
    "solve.cancelling": ("正在取消…", "Cancelling…"),
    "phase.building network matrices": ("构建路网距离矩阵", "Building network matrices"),
    "phase.building model": ("构建模型", "Building model"),
    "phase.solving": ("求解", "Solving"),
    "phase.writing results": ("写出结果", "Writing results"),
    "scenario.select": ("情景", "Scenario"),
    "scenario.new": ("新建", "New"),
    "scenario.duplicate": ("复制", "Duplicate"),
    "scenario.delete": ("删除", "Delete"),
    "scenario.new_name": ("新情景名称：", "Name of the new scenario:"),
    "scenario.none": ("（不限）", "(none)"),
    "results.none": ("尚未求解。选择情景后点击“求解情景”。",
                     "Not solved yet. Pick a scenario and press “Solve scenario”."),
    "results.item": ("指标", "Item"),
    "results.value": ("数值", "Value"),
    "import.title": ("导入图层", "Import layer"),
    "import.target": ("导入为：", "Import as:"),
    "import.source_layer": ("源图层/工作表：", "Source layer/sheet:"),
    "import.mapping": ("字段对应", "Field mapping"),
    "import.mapping_hint": ("文件的列名与要求不一致，请为每个字段选择对应的列（* 为必填）。",
                            "The column names differ from the contract: choose the column for "
                            "each field (* = required)."),
    "import.filter": ("空间数据与表格 (*.gpkg *.geojson *.json *.shp *.zip *.csv *.xlsx *.xls)",
                      "Spatial files and tables (*.gpkg *.geojson *.json *.shp *.zip *.csv "
                      "*.xlsx *.xls)"),
    "open.filter": ("项目文件 (*.gpkg)", "Project files (*.gpkg)"),
    "legend.unserved_share": ("未处理比例", "Unserved share"),
    "legend.new": ("新建", "new"),
    "legend.existing": ("现有", "existing"),
    "map.scale_km": ("{km:g} 公里", "{km:g} km"),
    "map.measure_km": ("{km:,.2f} 公里", "{km:,.2f} km"),
    "lang.zh": ("中文", "中文 (Chinese)"),
    "lang.en": ("English（英文）", "English"),
    "type.landfill": ("填埋场", "Landfill"),
    "type.incinerator": ("焚烧厂", "Incinerator"),
    "type.transfer_station": ("转运站", "Transfer station"),
    "type.kitchen_waste": ("餐厨处理", "Kitchen waste"),
    "type.sorting_centre": ("分拣中心", "Sorting centre"),
    "type.other": ("其他", "Other"),
    "st.operating": ("运行中", "operating"),
    "st.under_construction": ("在建", "under construction"),
    "st.planned": ("规划", "planned"),
    "st.closed": ("关闭", "closed"),
    "legend.flow_collection": ("收运流向", "collection flow"),
    "legend.flow_transfer": ("转运流向", "transfer flow"),
    "map.north": ("北", "N"),
}

#: Scenario parameter: (group, 中文, English, unit, tooltip zh, tooltip en)
_PARAMS: dict[str, tuple[str, str, str, str, str, str]] = {
    "name": ("identity", "名称", "Name", "", "情景名称（唯一）", "Unique scenario name"),
    "description": ("identity", "说明", "Description", "", "", ""),
    "target_year": ("demand", "目标年", "Target year", "", "产生量推算到的年份",
                    "Year the generation is projected to"),
    "generation_growth_rate": ("demand", "产生量年增长率", "Generation growth rate", "/年",
                               "0.02 表示每年增长 2%", "Fraction per year, 0.02 = 2 %/yr"),
    "in_service_statuses": ("facilities", "视为运行的状态", "In-service statuses", "",
                            "JSON 列表，如 [\"operating\", \"planned\"]",
                            "JSON list, e.g. [\"operating\", \"planned\"]"),
    "facility_status": ("facilities", "设施状态覆盖", "Facility status overrides", "",
                        "JSON 对象，如 {\"YX-LF-03\": \"closed\"}",
                        "JSON object, e.g. {\"YX-LF-03\": \"closed\"}"),
    "facility_capacity": ("facilities", "设施能力覆盖", "Facility capacity overrides", "t/d",
                          "JSON 对象：设施编号 → 吨/日", "JSON object: facility id → t/d"),
    "candidate_ids": ("candidates", "可选候选站点", "Allowed candidates", "",
                      "JSON 列表；留空表示全部候选站点", "JSON list; empty = all candidates"),
    "required_candidates": ("candidates", "必选候选站点", "Required candidates", "",
                            "JSON 列表", "JSON list"),
    "forbidden_candidates": ("candidates", "禁选候选站点", "Forbidden candidates", "",
                             "JSON 列表", "JSON list"),
    "size_classes": ("candidates", "转运站规模等级", "Size classes", "",
                     "JSON 列表：name, capacity_tpd (吨/日), fixed_cost_yuan_yr (元/年)",
                     "JSON list: name, capacity_tpd (t/d), fixed_cost_yuan_yr (yuan/yr)"),
    "use_exclusions": ("candidates", "启用禁建区", "Use exclusion zones", "",
                       "禁建区内的候选站点不得选址", "No candidate may open inside a zone"),
    "circuity_factor": ("costs", "路网曲折系数", "Circuity factor", "",
                        "道路距离 / 直线距离，≥ 1", "Road km / straight-line km, >= 1"),
    "collection_cost_yuan_tkm": ("costs", "收运费率", "Collection cost", "元/吨·公里",
                                 "产生源 → 首个站点", "Source → first site"),
    "transfer_cost_yuan_tkm": ("costs", "转运费率", "Transfer cost", "元/吨·公里",
                               "转运站 → 处理设施", "Transfer station → treatment"),
    "gate_cost_yuan_t": ("costs", "处理费", "Gate cost", "元/吨",
                         "JSON 对象：设施类型 → 元/吨", "JSON object: facility type → yuan/t"),
    "unserved_penalty_yuan_t": ("costs", "未处理罚金", "Unserved penalty", "元/吨",
                                "每吨未处理垃圾（处理缺口）的罚金", "Per tonne of unserved waste"),
    "network": ("routing", "路网", "Road network", "",
                "项目中保存的路网名称；留空为直线距离", "Stored network name; empty = straight line"),
    "max_direct_haul_km": ("routing", "直运最大距离", "Max direct haul", "km",
                           "不经转运直接运往处理设施的最大距离；留空不限",
                           "Direct haul allowed up to this distance; empty = no limit"),
    "incineration_share_min": ("policy", "焚烧比例下限", "Min incineration share", "",
                               "0.65 表示 65%；留空不限", "0.65 = 65 %; empty = none"),
    "landfill_cap_tpd": ("policy", "原生垃圾填埋上限", "Landfill cap", "t/d",
                         "0 表示原生垃圾零填埋；留空不限", "0 = zero landfill of raw waste"),
    "max_new_sites": ("policy", "新建站点数上限", "Max new sites", "",
                      "留空不限", "Empty = no limit"),
    "exact_new_sites": ("policy", "恰好新建该数量", "Exactly that many", "", "", ""),
    "single_sourcing": ("policy", "单一来源分配", "Single sourcing", "",
                        "每个区县只送往一个站点", "Each county ships to one site"),
    "county_self_sufficiency": ("policy", "区县自给", "County self-sufficiency", "",
                                "垃圾在本区县内处理", "Waste treated within its county"),
    "solver": ("solver", "求解器", "Solver", "", "highs 或 cbc", "highs or cbc"),
    "time_limit_s": ("solver", "时间上限", "Time limit", "s", "留空不限", "Empty = none"),
    "mip_gap": ("solver", "相对间隙", "Relative gap", "", "如 0.001", "e.g. 0.001"),
    "threads": ("solver", "线程数", "Threads", "", "留空自动", "Empty = automatic"),
}

PARAM_GROUPS: dict[str, tuple[str, str]] = {
    "identity": ("基本", "Identity"),
    "demand": ("需求", "Demand"),
    "facilities": ("现有设施", "Facilities"),
    "candidates": ("候选站点", "Candidates"),
    "costs": ("成本", "Costs"),
    "routing": ("路径", "Routing"),
    "policy": ("政策约束", "Policy"),
    "solver": ("求解器", "Solver"),
}


def language() -> str:
    """Return the current language, ``"zh"`` or ``"en"``."""
    return _lang


def system_language() -> str:
    """Return ``"zh"`` for a Chinese system locale, else ``"en"``."""
    from PyQt6.QtCore import QLocale

    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def set_language(lang: str) -> None:
    """Switch the UI language and tell listeners (who rebuild their texts)."""
    global _lang
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}; use one of {LANGUAGES}"
        raise ValueError(msg)
    changed = lang != _lang
    _lang = lang
    if changed:
        for cb in list(_listeners):
            cb(lang)


def on_language_changed(callback: Callable[[str], None]) -> None:
    """Call ``callback(lang)`` after every language switch."""
    _listeners.append(callback)


def remove_language_listener(callback: Callable[[str], None]) -> None:
    """Stop calling ``callback``."""
    if callback in _listeners:
        _listeners.remove(callback)


def tr(key: str, **fmt: object) -> str:
    """Return the text of ``key`` in the current language (the key itself if unknown)."""
    pair = STRINGS.get(key)
    text = key if pair is None else pair[0 if _lang == "zh" else 1]
    return text.format(**fmt) if fmt else text


def field_label(field, *, with_unit: bool = False) -> str:
    """Return a schema field's label in the current language."""
    text = (field.label_zh if _lang == "zh" else field.label_en) or field.name
    if with_unit and field.unit and field.unit not in text:
        text += f" ({field.unit})"
    return text


def param_info(name: str) -> tuple[str, str, str]:
    """Return ``(group, label with unit, tooltip)`` of a scenario parameter."""
    group, zh, en, unit, tip_zh, tip_en = _PARAMS.get(name, ("solver", name, name, "", "", ""))
    label = zh if _lang == "zh" else en
    if unit:
        label += f" ({unit})"
    tip = tip_zh if _lang == "zh" else tip_en
    return group, label, f"{name}: {tip}" if tip else name
