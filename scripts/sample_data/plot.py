import matplotlib

matplotlib.use("Agg")
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams["font.sans-serif"] = ["WenQuanYi Micro Hei"]
plt.rcParams["axes.unicode_minus"] = False
D = Path(__file__).resolve().parents[2] / "data"
for k in ["yuxi", "jincheng"]:
    b = gpd.read_file(D / "boundaries" / f"{k}_counties.geojson")
    f = pd.read_csv(D / "facilities" / f"{k}_facilities.csv", dtype={"county_id": str})
    c = pd.read_csv(D / "facilities" / f"{k}_candidates.csv", dtype={"county_id": str})
    fig, ax = plt.subplots(figsize=(10, 10))
    b.plot(ax=ax, facecolor="#eef", edgecolor="k", linewidth=0.6)
    for _, r in b.iterrows():
        p = r.geometry.representative_point()
        ax.text(p.x, p.y + 0.03, r.name_zh, ha="center", fontsize=9, color="navy")
    mk = {
        "landfill": ("s", "brown"),
        "incinerator": ("^", "red"),
        "transfer_station": ("o", "green"),
        "kitchen_waste": ("D", "orange"),
        "sorting_centre": ("P", "purple"),
    }
    for t, (m, col) in mk.items():
        s = f[f.type == t]
        if len(s):
            ax.scatter(s.lon, s.lat, marker=m, c=col, s=60, label=t, edgecolor="k", zorder=3)
    for _, r in f.iterrows():
        ax.annotate(
            f"{r.facility_id} {r.capacity_tpd:g}",
            (r.lon, r.lat),
            fontsize=6,
            xytext=(3, 3),
            textcoords="offset points",
        )
    ax.scatter(c.lon, c.lat, marker="x", c="k", s=40, label="candidate", zorder=3)
    for _, r in c.iterrows():
        ax.annotate(
            r.candidate_id,
            (r.lon, r.lat),
            fontsize=6,
            color="gray",
            xytext=(3, -8),
            textcoords="offset points",
        )
    ax.legend()
    ax.set_title(k)
    fig.savefig(f"/tmp/{k}_check.png", dpi=80, bbox_inches="tight")
