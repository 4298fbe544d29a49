"""PuLP planning models and solver runs (build -> solve -> interpret)."""

from .cflp import CFLPData, CFLPOptions, CFLPSolution, build_cflp, solve_cflp
from .planning import solve_scenario
from .solver import SolveResult, SolverOptions, solve_problem
from .two_echelon import (
    TwoEchelonData,
    TwoEchelonOptions,
    TwoEchelonSolution,
    build_two_echelon,
    solve_two_echelon,
)

__all__ = [
    "CFLPData",
    "CFLPOptions",
    "CFLPSolution",
    "SolveResult",
    "SolverOptions",
    "TwoEchelonData",
    "TwoEchelonOptions",
    "TwoEchelonSolution",
    "build_cflp",
    "build_two_echelon",
    "solve_cflp",
    "solve_problem",
    "solve_scenario",
    "solve_two_echelon",
]
