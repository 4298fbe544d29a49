"""Waste streams as data: the streams, which facilities accept them, and what they yield.

Three plain project tables (contracts in :mod:`wufei_gis.schema`), edited like any
other table and stored in the project GeoPackage:

``streams``            ``stream_id, name_zh, name_en, regulated, counts_in_share,
                       payload_t`` -- e.g. ``residual``, ``kitchen``, ``kitchen_residue``,
                       ``bottom_ash``, ``fly_ash``, ``medical``
``stream_acceptance``  ``facility_type, facility_id, stream_id, capacity_tpd`` -- a row
                       with an empty ``facility_id`` lets every facility of the type take
                       the stream; a row with an id licenses that one site (e.g. fly ash
                       in a landfill's separate cell); ``capacity_tpd`` (optional) is the
                       most of the site's capacity the stream may use
``stream_yields``      ``facility_type, input_stream, output_stream, yield_share`` -- t of
                       output per t of input (empty ``input_stream`` = every input), e.g.
                       incinerator -> bottom ash 0.22, fly ash 0.03

A project without these tables uses the defaults in ``data/streams/`` (which
cite their sources).  Which streams a solve models is the scenario's
``streams`` list (default ``["residual"]``, the single-stream model).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .schema import STREAM_ACCEPTANCE, STREAM_YIELDS, STREAMS
from .validation import conform

__all__ = ["StreamTables", "SiteStreams", "default_stream_tables", "site_streams"]

#: The stream of generation rows without a ``stream`` value (older projects).
DEFAULT_STREAM = "residual"


@dataclass
class StreamTables:
    """The three stream tables of a project (conformed to their contracts)."""

    streams: pd.DataFrame
    acceptance: pd.DataFrame
    yields: pd.DataFrame

    @classmethod
    def from_frames(
        cls,
        streams: pd.DataFrame,
        acceptance: pd.DataFrame,
        yields: pd.DataFrame,
        *,
        file: str | Path | None = None,
    ) -> StreamTables:
        """Conform raw frames and check that every stream id they use is defined."""
        out = cls(
            conform(streams, STREAMS, file=file),
            conform(acceptance, STREAM_ACCEPTANCE, file=file),
            conform(yields, STREAM_YIELDS, file=file),
        )
        out.check(file=file)
        return out

    def ids(self) -> list[str]:
        """Stream ids in table order."""
        return [str(s) for s in self.streams["stream_id"]]

    def column(self, name: str) -> dict[str, float]:
        """``{stream_id: value}`` of a numeric column of ``streams``."""
        return dict(zip(self.ids(), self.streams[name].astype(float).tolist(), strict=True))

    def check(self, *, file: str | Path | None = None) -> None:
        """Raise ``InputError`` for a stream id used but not defined in ``streams``."""
        known = set(self.ids())
        for table, df, cols in (
            ("stream_acceptance", self.acceptance, ("stream_id",)),
            ("stream_yields", self.yields, ("input_stream", "output_stream")),
        ):
            for col in cols:
                for row, value in enumerate(df[col].astype(str)):
                    if value and value not in known:
                        raise InputError(
                            f"unknown stream '{value}' (streams: {', '.join(sorted(known))})",
                            file=file,
                            layer=table,
                            row=row + 1,
                            field=col,
                            fix="add the stream to the streams table or correct the id",
                        )
        big = self.yields["yield_share"].astype(float) > 1.0
        if big.any():
            raise InputError(
                "a yield above 1 t per t of input",
                file=file,
                layer="stream_yields",
                row=int(np.flatnonzero(big.to_numpy())[0]) + 1,
                field="yield_share",
                fix="write the yield as a fraction of the input mass, e.g. 0.22",
            )

    def check_ids(self, ids: list[str], *, scenario: str, file: str | Path | None = None) -> None:
        """Raise ``InputError`` when a scenario names a stream the tables do not define."""
        unknown = [s for s in ids if s not in set(self.ids())]
        if unknown:
            raise InputError(
                f"scenario '{scenario}' models unknown stream(s) {unknown} "
                f"(streams: {', '.join(self.ids())})",
                file=file,
                layer="scenarios",
                field="streams",
                fix="use stream ids of the streams table",
            )

    def yield_matrix(self, facility_type: str, streams: list[str]) -> np.ndarray:
        """``(S, S)`` t of output stream (column) per t of input stream (row) at a type."""
        pos = {s: n for n, s in enumerate(streams)}
        out = np.zeros((len(streams), len(streams)))
        rows = self.yields[self.yields["facility_type"] == facility_type]
        for r in rows.itertuples(index=False):
            o = pos.get(str(r.output_stream))
            if o is None:
                continue
            inputs = [pos[str(r.input_stream)]] if str(r.input_stream) in pos else []
            if not str(r.input_stream):
                inputs = list(range(len(streams)))
            for i in inputs:
                out[i, o] = float(r.yield_share)
        return out


@dataclass(frozen=True)
class SiteStreams:
    """Which modelled stream each site takes, and how much of it.

    Attributes
    ----------
    accepts
        ``(S, N)`` bool: site n accepts stream s.
    capacity
        ``(S, N)`` most t/d of stream s site n may take (``inf`` = its whole capacity).
    """

    accepts: np.ndarray
    capacity: np.ndarray


def site_streams(
    tables: StreamTables, types: list[str], ids: list[str], streams: list[str]
) -> SiteStreams:
    """Acceptance of ``streams`` by the sites ``(type, id)`` from the acceptance table."""
    S, N = len(streams), len(types)
    accepts = np.zeros((S, N), bool)
    capacity = np.full((S, N), np.inf)
    pos = {s: n for n, s in enumerate(streams)}
    acc = tables.acceptance
    by_type = acc[acc["facility_id"].astype(str) == ""]
    by_site = acc[acc["facility_id"].astype(str) != ""]
    col = {t: [n for n, ty in enumerate(types) if ty == t] for t in set(types)}
    for r in by_type.itertuples(index=False):
        s = pos.get(str(r.stream_id))
        if s is None:
            continue
        cols = col.get(str(r.facility_type), [])
        accepts[s, cols] = True
        if pd.notna(r.capacity_tpd):
            capacity[s, cols] = float(r.capacity_tpd)
    where = {fid: n for n, fid in enumerate(ids)}
    for r in by_site.itertuples(index=False):
        s, n = pos.get(str(r.stream_id)), where.get(str(r.facility_id))
        if s is None or n is None:
            continue
        accepts[s, n] = True
        capacity[s, n] = float(r.capacity_tpd) if pd.notna(r.capacity_tpd) else np.inf
    return SiteStreams(accepts, capacity)


def _data_dir() -> Path:
    return Path(str(resources.files("wufei_gis.data"))) / "streams"


def default_stream_tables() -> StreamTables:
    """The default stream tables shipped in ``data/streams/`` (sources in their columns)."""
    d = _data_dir()

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(d / name, dtype=str, keep_default_na=False, encoding="utf-8")

    return StreamTables.from_frames(
        read("streams.csv"),
        read("stream_acceptance.csv"),
        read("stream_yields.csv"),
        file=d,
    )
