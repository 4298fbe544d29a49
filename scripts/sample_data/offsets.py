"""Seed texts and character offsets cited in the sample data's ``source`` columns.

``off(text, snippet, target=...)`` finds a snippet (asserting it is unique) and returns
the offset of ``target`` inside it; the build scripts cite these offsets.
``resolve(source)`` checks a ``source`` cell ("seed <id> @<n>; @<m>; seed <id2> @<k>")
against the seed files and returns the cited excerpts; the tests use it.
The seeds are read from ``../shared/seeds`` (beside the repository) or from the folder
named in the environment variable ``WUFEI_SHARED``.
"""

import os
import re
from functools import cache
from pathlib import Path

SHARED = os.environ.get(
    "WUFEI_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
)
SEED_DIR = Path(SHARED) / "seeds"
SEED_IDS = {
    "000": "000_c16f0f7a82d733c2",
    "001": "001_be30656ae999ecbc",
    "002": "002_4b044c72b9a04a96",
    "003": "003_1dbbb06e4be99a0e",
    "004": "004_b7511bcfed849000",
}
_SOURCE_PART = re.compile(r"(?:seed (\d{3}_[0-9a-f]{16}) )?@(\d+)")


@cache
def seed_text(seed_id: str) -> str:
    """Return the decoded text of a seed (``"002_4b044c72b9a04a96"`` or ``"002"``)."""
    seed_id = SEED_IDS.get(seed_id, seed_id)
    return (SEED_DIR / f"{seed_id}.txt").read_text(encoding="utf-8")


def seeds_available() -> bool:
    """Whether every seed file can be read."""
    return all((SEED_DIR / f"{s}.txt").is_file() for s in SEED_IDS.values())


def off(t, snippet, start=0, target=None):
    i = t.find(snippet, start)
    assert i >= 0, snippet
    assert t.find(snippet, i + 1) < 0 or start, ("not unique", snippet)
    if target:
        i += snippet.index(target)
    return i


def resolve(source: str, width: int = 12) -> list[tuple[str, int, str]]:
    """Return ``(seed_id, offset, excerpt)`` for every offset cited in ``source``.

    An offset without its own ``seed <id>`` belongs to the last seed named before it.
    Raises ``ValueError`` when the cell names no seed, an offset lies outside the seed
    text, or it points at white space (offsets cite a number or a word).
    """
    out: list[tuple[str, int, str]] = []
    seed = None
    for m in _SOURCE_PART.finditer(source):
        seed = m.group(1) or seed
        if seed is None:
            raise ValueError(f"{source!r}: offset before any seed id")
        text = seed_text(seed)
        n = int(m.group(2))
        if n >= len(text) or text[n].isspace():
            raise ValueError(f"{source!r}: @{n} does not point at text in seed {seed}")
        out.append((seed, n, text[n : n + width]))
    if not out:
        raise ValueError(f"{source!r} cites no seed offset")
    return out


def __getattr__(name: str) -> str:
    """``Y`` and ``J``: the seeds of the first two samples, read when first used."""
    if name in ("Y", "J"):
        return seed_text({"Y": "000", "J": "003"}[name])
    raise AttributeError(name)
