"""What one feature or one run says, as people read it: labels with units, names, per cent.

The identify dock, the result tables and the run summary of the app show
their rows through here, so a capacity reads ``1,200.00`` under
``处理能力 (吨/日)`` everywhere, a county id in a facility row reads as the
county's name, a facility type as ``焚烧厂`` and a share as ``65.0 %``.
Numbers go through :mod:`wufei_gis.formatting` (``format_bare``: the unit is
in the label), labels and value names come from :mod:`wufei_gis.labels` and
the project layers' contracts (:mod:`wufei_gis.schema`).

>>> field_label("proposed_sites", "utilization", lang="zh")
'负荷率 (%)'
>>> format_field("proposed_sites", "utilization", 0.85, lang="en")
'85.0 %'
>>> format_field("facilities", "type", "incinerator", lang="zh")
'焚烧厂'

Rows are identified by layer name and 0-based row; :func:`identify_stack`
lists the features that sit where a clicked feature sits (the same county in
the capacity-gap layer, the proposed site of a facility, points at the same
place), and :func:`linked_rows` maps a selection from a project layer to a
result layer (counties → ``county_gaps``, facilities/candidates →
``proposed_sites``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .formatting import MISSING, format_bare, format_summary, format_value, is_missing
from .labels import FIELD_UNITS, LABELS, column_label, label, unit_label, value_label
from .results import period_view
from .schema import LAYER_SPECS

if TYPE_CHECKING:  # pragma: no cover
    from .project import Project
    from .results import RunResult

__all__ = [
    "Names",
    "display_columns",
    "feature_rows",
    "feature_title",
    "field_label",
    "format_field",
    "identify_stack",
    "linked_rows",
    "names_of",
    "summary_rows",
]

#: Columns whose value is the id of a county or a site (facility, candidate, proposed site).
ID_COLUMNS = ("county_id", "facility_id", "candidate_id", "site_id", "from_id", "to_id")
#: The own key of each layer (project layers take theirs from the schema).
RESULT_KEYS: dict[str, str | None] = {
    "proposed_sites": "site_id",
    "county_gaps": "county_id",
    "flows": None,
}
#: Coded columns and the label prefix of their values (see :func:`wufei_gis.labels.value_label`).
VALUE_KINDS = {
    "type": "type",
    "status": "st",
    "location_precision": "precision",
    "size_class": "size",
    "stage": "stage",
}
#: Layers whose features are the same thing when their ids agree: counties, then sites.
LINKED_LAYERS: tuple[dict[str, str], ...] = (
    {"counties": "county_id", "county_gaps": "county_id"},
    {"facilities": "facility_id", "candidates": "candidate_id", "proposed_sites": "site_id"},
)
#: The scenario parameter named by each ``binding_policy`` entry of a run summary.
POLICY_PARAMETERS = {
    "incineration_share": "incineration_share_min",
    "landfill_cap": "landfill_cap_tpd",
    "new_sites": "max_new_sites",
}
_HIDDEN = ("geometry",)
_SAME_PLACE_DEG = 1e-7  # points this close (degrees, ~1 cm) are at the same place


@dataclass(frozen=True)
class Names:
    """Chinese and English names of counties and sites by id (see :func:`names_of`)."""

    zh: Mapping[str, str] = field(default_factory=dict)
    en: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str, lang: str) -> str | None:
        """Return the name of ``key`` in ``lang`` (the other language if missing), or None."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first.get(key) or second.get(key)


def _name_map(frame: pd.DataFrame, key: str, column: str) -> dict[str, str]:
    if key not in frame.columns or column not in frame.columns:
        return {}
    ids = frame[key].astype(str).to_numpy()
    out = {}
    for k, v in zip(ids, frame[column].to_numpy(), strict=True):
        if isinstance(v, str) and v.strip():
            out[str(k)] = v
    return out


def names_of(project: Project | None = None, result: RunResult | None = None) -> Names:
    """Return the names of the counties and sites of a project and/or a result.

    The project's names win over the result's (a result carries only Chinese
    site names).
    """
    frames: list[tuple[pd.DataFrame, str]] = []
    if result is not None:
        frames += [(result.proposed_sites, "site_id"), (result.county_gaps, "county_id")]
    if project is not None:
        frames += [
            (project.counties, "county_id"),
            (project.facilities, "facility_id"),
            (project.candidates, "candidate_id"),
        ]
    zh: dict[str, str] = {}
    en: dict[str, str] = {}
    for frame, key in frames:
        zh.update(_name_map(frame, key, "name_zh"))
        en.update(_name_map(frame, key, "name_en"))
    return Names(zh, en)


def _own_key(layer: str) -> str | None:
    spec = LAYER_SPECS.get(layer)
    return spec.key if spec is not None else RESULT_KEYS.get(layer)


def _is_reference(layer: str, column: str) -> bool:
    return column in ID_COLUMNS and column != _own_key(layer)


def _capitalised(text: str, lang: str) -> str:
    return text[:1].upper() + text[1:] if lang == "en" else text


def _unit(layer: str, column: str) -> str:
    spec = LAYER_SPECS.get(layer)
    if spec is not None and column in spec.columns:
        return spec.field(column).unit
    return FIELD_UNITS.get(column, "")


def field_label(layer: str, column: str, *, lang: str) -> str:
    """Return the label of ``column`` of ``layer`` with its unit, e.g. ``处理能力 (吨/日)``.

    Project layers use their contract's labels (:mod:`wufei_gis.schema`), result
    layers the ``field.`` labels; a column without a label keeps its name.
    """
    spec = LAYER_SPECS.get(layer)
    if spec is not None and column in spec.columns:
        f = spec.field(column)
        text = (f.label_zh if lang == "zh" else f.label_en) or column
        unit = unit_label(f.unit, lang)
        return f"{text} ({unit})" if unit and unit not in text else text
    if f"field.{column}" in LABELS:
        return _capitalised(column_label(column, lang=lang), lang)
    return column


def format_field(
    layer: str, column: str, value: Any, *, lang: str, names: Names | None = None
) -> str:
    """Return ``value`` of ``column`` of ``layer`` as people read it (unit in the label).

    Ids of other features read as their names (when ``names`` knows them),
    coded values as their labels, booleans as yes/no, shares as per cent,
    money as whole yuan; a missing or empty value reads ``–``.
    """
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return MISSING
    if _is_reference(layer, column):
        return (names.get(str(value), lang) if names else None) or str(value)
    if column in VALUE_KINDS:
        return value_label(VALUE_KINDS[column], value, lang)
    if isinstance(value, (bool, np.bool_)):
        return format_value(bool(value), lang=lang)
    if isinstance(value, str):
        return value
    if column == "year":
        return str(int(value))
    unit = _unit(layer, column)
    return format_bare(value, "" if unit == "persons" else unit)


def display_columns(layer: str, columns: Iterable[str]) -> list[str]:
    """Return the columns of ``layer`` a result table shows (no geometry, no scenario)."""
    return [c for c in columns if c not in _HIDDEN and c != "scenario"]


def feature_rows(
    layer: str,
    row: pd.Series,
    *,
    lang: str,
    project: Project | None = None,
    names: Names | None = None,
) -> list[tuple[str, str]]:
    """Return ``(label with unit, formatted value)`` of every attribute of one feature.

    Parameters
    ----------
    layer
        The layer the feature belongs to (``"facilities"``, ``"proposed_sites"``, ...).
    row
        The feature, e.g. ``frame.iloc[i]``; its geometry is left out.
    lang
        ``{"zh", "en"}``.
    project
        Where the names of referenced counties and sites come from (when
        ``names`` is not given).
    names
        Names to use instead of looking them up in ``project``.
    """
    names = names if names is not None else names_of(project)
    return [
        (field_label(layer, c, lang=lang), format_field(layer, c, row[c], lang=lang, names=names))
        for c in row.index
        if c not in _HIDDEN
    ]


def feature_title(
    layer: str, row: pd.Series, *, lang: str, names: Names | None = None
) -> tuple[str, str]:
    """Return ``(layer name, feature name)``; its id when unnamed, a flow's two ends."""
    order = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    key = _own_key(layer)
    columns = [*order, *([key] if key else [])]
    name = next((str(row[c]) for c in columns if c in row.index and _text(row[c])), "")
    if not name and "from_id" in row.index and "to_id" in row.index:
        ends = (
            format_field(layer, c, row[c], lang=lang, names=names) for c in ("from_id", "to_id")
        )
        name = " → ".join(ends)
    return label(f"layer.{layer}", lang), name


def _text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _ids(text: Any) -> list[str]:
    return [p.strip() for p in str(text).split(",") if p.strip()]


def summary_rows(
    result: RunResult, *, lang: str, project: Project | None = None
) -> list[tuple[str, str]]:
    """Return the run summary of ``result`` as ``(label, value with unit)`` rows.

    Like :func:`wufei_gis.formatting.format_summary` (units, per cent, solver
    status and cost method translated), and: the capacity-binding sites read
    as their names, the binding policies as the names of their scenario
    parameters, and nothing reads ``None`` or ``nan``.  A phased result shows
    its last period's daily values (:func:`~wufei_gis.results.period_view`).
    """
    result = period_view(result)
    summary = {k: (None if is_missing(v) else v) for k, v in result.summary().items()}
    rows = format_summary(summary, lang=lang)
    names = names_of(project, result)
    out = []
    for (text, shown), key in zip(rows, summary, strict=True):
        value = summary[key]
        if key == "binding_capacity" and _text(value):
            shown = ", ".join(names.get(i, lang) or i for i in _ids(value))
        elif key == "binding_policy" and _text(value):
            shown = ", ".join(_policy_label(p, lang) for p in _ids(value))
        out.append((text, shown))
    return out


def _policy_label(policy: str, lang: str) -> str:
    param = POLICY_PARAMETERS.get(policy)
    key = f"param.{param}" if param else f"field.{policy}"
    return label(key, lang) if key in LABELS else policy


# --- which features go together -----------------------------------------------------------
def _link_column(layer: str) -> tuple[int, str] | None:
    for group, links in enumerate(LINKED_LAYERS):
        if layer in links:
            return group, links[layer]
    return None


def linked_rows(
    source: str, frame: pd.DataFrame, rows: Iterable[int], target: str, target_frame: pd.DataFrame
) -> list[int]:
    """Return the rows of ``target`` that are the same features as ``rows`` of ``source``.

    Counties and capacity gaps match by county id; facilities, candidates and
    proposed sites by site id.  Layers that do not match give ``[]``.

    >>> import pandas as pd
    >>> a = pd.DataFrame({"county_id": ["1", "2"]})
    >>> b = pd.DataFrame({"county_id": ["2", "3", "1"]})
    >>> linked_rows("counties", a, [0], "county_gaps", b)
    [2]
    """
    src, dst = _link_column(source), _link_column(target)
    if src is None or dst is None or src[0] != dst[0]:
        return []
    if src[1] not in frame.columns or dst[1] not in target_frame.columns:
        return []
    wanted = set(frame[src[1]].astype(str).iloc[[r for r in rows if 0 <= r < len(frame)]])
    return [int(i) for i in np.flatnonzero(target_frame[dst[1]].astype(str).isin(wanted))]


def _same_place(frame: pd.DataFrame, point: Any) -> list[int]:
    geoms = frame.geometry if "geometry" in frame.columns else None
    if geoms is None or not len(geoms) or not (geoms.geom_type == "Point").all():
        return []
    d = np.hypot(geoms.x.to_numpy() - point.x, geoms.y.to_numpy() - point.y)
    return [int(i) for i in np.flatnonzero(d <= _SAME_PLACE_DEG)]


def identify_stack(
    layer: str, row: int, frames: Mapping[str, pd.DataFrame | None]
) -> list[tuple[str, int]]:
    """Return the clicked feature and the features that sit where it sits.

    Parameters
    ----------
    layer, row
        The feature hit by the click (0-based row of ``frames[layer]``).
    frames
        The layers shown, by name (``None`` for a layer with nothing to show).

    Returns
    -------
    list of (layer, row)
        The hit first; then, layer by layer, the same feature in other layers
        (:func:`linked_rows`) and points at the same place.
    """
    out = [(layer, row)]
    hit_frame = frames.get(layer)
    if hit_frame is None or not 0 <= row < len(hit_frame):
        return out
    geom = hit_frame.geometry.iloc[row] if "geometry" in hit_frame.columns else None
    point = geom if geom is not None and getattr(geom, "geom_type", "") == "Point" else None
    for other, frame in frames.items():
        if frame is None or not len(frame):
            continue
        found = set(linked_rows(layer, hit_frame, [row], other, frame)) if other != layer else set()
        if point is not None:
            found |= set(_same_place(frame, point))
        out += [(other, r) for r in sorted(found) if (other, r) != (layer, row)]
    return out
