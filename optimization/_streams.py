"""The waste-stream data of a two-echelon instance (array level).

A multi-stream instance routes every stream s separately over the same sites:
flows carry a stream index, sites accept some streams only, plants turn their
input into secondary streams by yields (flow conservation in the model), and
regulated streams have their own haul limit.  Without stream data the model is
the single-stream model (:func:`single_stream`).  Formulation: docs/model.md §1b.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["StreamData", "single_stream"]


@dataclass
class StreamData:
    """Streams of one instance; arrays positional by stream ``s``, source ``j``,
    station ``k`` and plant ``i``.

    Parameters
    ----------
    names
        ``(S,)`` stream ids.
    demand
        ``(S, J)`` generation of each stream at each source, t/d (0 for secondary streams).
    plant_accepts, transfer_accepts
        ``(S, I)`` / ``(S, K)`` bool: the site takes the stream.
    plant_stream_capacity
        ``(S, I)`` most t/d of the stream a plant takes (``inf`` = its whole capacity).
    plant_yield
        ``(I, S, S)`` t of output stream (last axis) per t of input stream at plant i.
    dist_plant_plant
        ``(I, I)`` km, for secondary streams hauled plant -> plant (``inf`` = no arc).
    max_km
        ``(S,)`` longest arc (any leg) of the stream, km (``inf`` = no limit).
    regulated
        ``(S,)`` bool: exempt from the direct-haul limit (dedicated vehicles); its own
        ``max_km`` applies instead, and only licensed sites accept it.
    in_share
        ``(S,)`` bool: counted in the incineration shares, the landfill cap and the raw
        landfill penalty (household residual waste).
    plant_is_landfill
        ``(I,)`` bool: ordinary (MSW) landfill.
    plant_min_load
        ``(I,)`` minimum load as a fraction of capacity (0 = none).
    """

    names: list[str]
    demand: np.ndarray
    plant_accepts: np.ndarray
    transfer_accepts: np.ndarray
    plant_stream_capacity: np.ndarray
    plant_yield: np.ndarray
    dist_plant_plant: np.ndarray
    max_km: np.ndarray
    regulated: np.ndarray
    in_share: np.ndarray
    plant_is_landfill: np.ndarray
    plant_min_load: np.ndarray

    @property
    def n(self) -> int:
        """Number of streams S."""
        return len(self.names)

    def producers(self, s: int) -> np.ndarray:
        """``(I,)`` bool: plants that turn some input into stream ``s``."""
        out: np.ndarray = self.plant_yield[:, :, s].sum(axis=1) > 0
        return out

    def check(self, J: int, K: int, I: int) -> None:  # noqa: E741  I = number of plants
        """Raise ``ValueError`` on an array of the wrong shape."""
        S = self.n
        shapes = {
            "demand": (self.demand, (S, J)),
            "plant_accepts": (self.plant_accepts, (S, I)),
            "transfer_accepts": (self.transfer_accepts, (S, K)),
            "plant_stream_capacity": (self.plant_stream_capacity, (S, I)),
            "plant_yield": (self.plant_yield, (I, S, S)),
            "dist_plant_plant": (self.dist_plant_plant, (I, I)),
            "max_km": (self.max_km, (S,)),
            "regulated": (self.regulated, (S,)),
            "in_share": (self.in_share, (S,)),
            "plant_is_landfill": (self.plant_is_landfill, (I,)),
            "plant_min_load": (self.plant_min_load, (I,)),
        }
        for what, (arr, shape) in shapes.items():
            if np.shape(arr) != shape:
                msg = f"streams.{what} must have shape {shape} (got {np.shape(arr)})"
                raise ValueError(msg)


def single_stream(
    demand: np.ndarray, n_transfer: int, plant_is_incinerator: np.ndarray
) -> StreamData:
    """The one-stream view of an instance without stream data (the original model)."""
    I = plant_is_incinerator.size  # noqa: E741  I = number of plants
    return StreamData(
        names=["residual"],
        demand=np.asarray(demand, float)[None, :],
        plant_accepts=np.ones((1, I), bool),
        transfer_accepts=np.ones((1, n_transfer), bool),
        plant_stream_capacity=np.full((1, I), np.inf),
        plant_yield=np.zeros((I, 1, 1)),
        dist_plant_plant=np.full((I, I), np.inf),
        max_km=np.array([np.inf]),
        regulated=np.zeros(1, bool),
        in_share=np.ones(1, bool),
        plant_is_landfill=~np.asarray(plant_is_incinerator, bool),
        plant_min_load=np.zeros(I),
    )
