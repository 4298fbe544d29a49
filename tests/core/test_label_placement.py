"""Label placement: placed labels never overlap each other or the markers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.figure import Figure

from wufei_gis.fonts import setup_cjk_font
from wufei_gis.label_placement import (
    LabelOptions,
    overlapping_pairs,
    place_labels,
    place_text_labels,
)
from wufei_gis.map_style import capacity_marker_sizes


def _boxes_hit(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_dense_labels_never_overlap_and_some_are_dropped():
    rng = np.random.default_rng(0)
    anchors = rng.uniform(0, 300, size=(120, 2))
    sizes = np.tile([40.0, 12.0], (120, 1))
    p = place_labels(anchors, sizes)
    assert overlapping_pairs(p.boxes) == []
    assert 10 < p.placed.sum() < 120  # crowded: some placed, some dropped


def test_labels_avoid_markers_and_stay_in_bounds():
    anchors = np.array([[50.0, 50.0], [60.0, 50.0]])
    markers = np.array([[44, 44, 56, 56], [54, 44, 66, 56], [66, 44, 90, 56]], float)
    opts = LabelOptions(bounds=(0, 0, 100, 100))
    p = place_labels(anchors, [[20, 8], [20, 8]], obstacles=markers, options=opts)
    for box in p.boxes[p.placed]:
        assert not any(_boxes_hit(box, m) for m in markers)
        assert box[0] >= 0 and box[2] <= 100
    assert p.positions[0] != "E"  # the right-hand spot is taken by the next marker


def test_priority_wins_a_contested_spot():
    anchors = [[0.0, 0.0], [0.0, 0.0]]
    sizes = [[10.0, 10.0], [10.0, 10.0]]
    p = place_labels(anchors, sizes, priority=[1, 2], positions=[["E"], ["E"]])
    assert p.positions == [None, "E"]


def test_leader_ring_used_when_near_ring_is_full():
    anchors = [[0.0, 0.0]]
    ring = [[-30, -30, 30, 30]]  # everything close to the point is taken
    p = place_labels(anchors, [[10, 10]], obstacles=ring, options=LabelOptions(leader_offset=40))
    assert p.placed.all() and p.leaders.all()
    p2 = place_labels(anchors, [[10, 10]], obstacles=ring)
    assert not p2.placed.any()


def test_text_labels_on_axes_do_not_overlap_markers_or_each_other():
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot(111)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    rng = np.random.default_rng(1)
    pts = rng.uniform(1, 9, size=(40, 2))
    ax.scatter(pts[:, 0], pts[:, 1], s=30)
    made = place_text_labels(
        ax,
        pts,
        [f"县{i}名称" for i in range(40)],
        obstacles=pts,
        text_kw={"fontsize": 8, "fontfamily": setup_cjk_font()},
    )
    renderer = fig._get_renderer()
    boxes = np.array([list(a.get_window_extent(renderer).extents) for a in made if a is not None])
    assert len(boxes) > 0
    assert overlapping_pairs(boxes - [[-0.5, -0.5, 0.5, 0.5]]) == []
    marker_px = ax.transData.transform(pts)
    r = LabelOptions().obstacle_radius - 0.5
    for b in boxes:
        for x, y in marker_px:
            assert not _boxes_hit(b, np.array([x - r, y - r, x + r, y + r]))


def test_capacity_marker_area_is_proportional():
    s = capacity_marker_sizes([0.0, 100.0, 700.0, np.nan], smallest=0.0, largest=70.0)
    assert s.tolist() == [0.0, 10.0, 70.0, 0.0]
