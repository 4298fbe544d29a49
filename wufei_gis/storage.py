"""The project file: transactional GeoPackage writes.

A GeoPackage is an SQLite database, so a save is an SQLite transaction on the
project itself: atomic, durable (rollback journal, ``synchronous=FULL``) and
without copying the file.  Saving never replaces the project's inode, so its
mode and owner stay as they were and a program holding it open keeps working.

How layers are replaced
-----------------------
:func:`write_layers` writes the new layers with pyogrio into a small private
GeoPackage next to the project (``.NAME.saving-PID@HOST-TOKEN.gpkg``), then in
ONE transaction on the project (``ATTACH`` + ``BEGIN IMMEDIATE``) drops the old
tables of those layers and copies the new ones over: the feature table, its
R-tree index, triggers and indexes, and its rows in ``gpkg_contents``,
``gpkg_geometry_columns``, ``gpkg_extensions``, ``gpkg_ogr_contents`` and
``gpkg_spatial_ref_sys``.  :func:`replace_rows` instead deletes and inserts
only the rows of one key (e.g. one scenario's results).  :func:`transaction`
gives other modules the same locked transaction for their own SQL (scenario
rows, the matrix cache).  Only a brand-new file (or Save As over another
file) is written whole: temporary file, ``fsync``, one ``os.replace``.

Locking
-------
The lock is SQLite's own: ``BEGIN IMMEDIATE`` with a busy timeout of
:data:`LOCK_TIMEOUT_S`.  While it holds the lock a writer also keeps a side
file ``NAME.lock`` (pid, host, time, program) so that a writer that cannot get
the lock can say who holds it.  A side file and not a table: rows written
inside the transaction are invisible to other connections until it commits.

Leftovers
---------
A killed save leaves at most a hot SQLite journal, which SQLite rolls back on
the next open (:func:`recover`), a private ``.saving-`` file, and a stale lock
side file; :func:`clean_leftovers` deletes the latter two the next time the
project is opened for writing (when their writer is gone, or they are older
than a minute and their writer is unknown).

Size: this module is over 500 lines (about 740) because the transaction, the
lock and its side file, leftover cleaning, journal recovery, copying GeoPackage
tables with their catalogue rows and R-tree, and whole-file writes are one
mechanism whose parts depend on each other.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import stat
import struct
import sys
import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from .atomic import default_file_mode, fsync_path
from .errors import InputError

__all__ = [
    "LEFTOVER_AGE_S",
    "LOCK_TIMEOUT_S",
    "Layers",
    "check_writable",
    "clean_leftovers",
    "drop_layer",
    "lock_file",
    "recover",
    "replace_rows",
    "table_columns",
    "table_exists",
    "transaction",
    "write_frame",
    "write_layers",
]

#: Seconds a writer waits for another writer's lock before giving up.
LOCK_TIMEOUT_S = 5.0
#: Leftovers of unknown writers older than this (seconds) are deleted.
LEFTOVER_AGE_S = 60.0
#: Leftovers of a writer still running are kept unless older than this (seconds).
_LIVE_WRITER_AGE_S = 24 * 3600.0

#: ``{layer: (frame, geometry type or None)}``; a table when the frame has no geometry.
Layers = Mapping[str, "tuple[pd.DataFrame, str | None]"]

_READ_ONLY_FIX = "the project is read-only; save it under another name (Save As)"
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
_SAVING = re.compile(r"\.saving-(?:(?P<pid>\d+)@(?P<host>[A-Za-z0-9-]+)-)?")


# --------------------------------------------------------------------------- checks
def check_writable(path: str | PathLike[str]) -> None:
    """Raise :class:`InputError` unless ``path`` (or its folder, for a new file) can be written.

    A file without any write permission bit is read-only even for root.  The
    folder must be writable too: SQLite keeps its rollback journal next to
    the file.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists():
        mode = path.stat().st_mode
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
            raise InputError("the project is read-only", file=path, fix=_READ_ONLY_FIX)
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            "the project's folder is read-only (a save writes a journal next to the file)",
            file=path,
            fix=_READ_ONLY_FIX,
        )


def lock_file(path: str | PathLike[str]) -> Path:
    """Return the side file naming the writer that holds the project's lock."""
    path = Path(path)
    return path.with_name(path.name + ".lock")


def _temp_name(path: Path) -> Path:
    """Return a fresh private file name next to ``path``, after checking the folder takes files.

    Creating (and at once removing) the file raises the operating system's own
    ``PermissionError``/``OSError`` for a folder that refuses new files, rather
    than a driver error from the GeoPackage writer later.
    """
    token = secrets.token_hex(4)
    tmp = path.with_name(f".{path.stem}.saving-{os.getpid()}@{_HOST}-{token}.gpkg")
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    os.unlink(tmp)
    return tmp


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _writer_gone(pid: int | None, host: str | None, age: float) -> bool:
    """Whether a leftover of writer ``pid@host`` that is ``age`` seconds old may be deleted."""
    if pid is None or host != _HOST:
        return age > (LEFTOVER_AGE_S if pid is None else _LIVE_WRITER_AGE_S)
    if pid == os.getpid():
        return False
    return not _pid_running(pid) or age > _LIVE_WRITER_AGE_S


def clean_leftovers(path: str | PathLike[str]) -> list[Path]:
    """Delete the leftovers of killed saves of ``path``; return what was deleted.

    Private ``.NAME.saving-*`` files (and their journals) and a stale lock
    side file go when their writer process is gone, or, for files of an
    unknown writer, when they are older than :data:`LEFTOVER_AGE_S`.  The
    project's own ``-journal`` is never touched: SQLite rolls it back.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    now = time.time()
    gone = []
    with contextlib.suppress(OSError):
        found = [*folder.glob(f".{path.stem}.saving-*"), *folder.glob(f"..{path.stem}.saving-*")]
        for p in found:  # the second form: a Save As's own temporary file
            m = _SAVING.search(p.name)
            pid = int(m["pid"]) if m and m["pid"] else None
            try:
                age = now - p.stat().st_mtime
            except FileNotFoundError:
                continue
            if _writer_gone(pid, m["host"] if m else None, age):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
                    gone.append(p)
    lock = lock_file(path)
    holder = _read_lock(lock)
    if holder is not None:
        age = now - float(holder.get("time", 0) or 0)
        pid = holder.get("pid")
        if _writer_gone(int(pid) if isinstance(pid, int) else None, holder.get("host"), age):
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
                gone.append(lock)
    return gone


def _read_lock(lock: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_lock(lock: Path) -> None:
    info = {
        "pid": os.getpid(),
        "host": _HOST,
        "time": time.time(),
        "program": Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python",
    }
    with contextlib.suppress(OSError):
        lock.write_text(json.dumps(info), encoding="utf-8")


def _locked_error(path: Path) -> InputError:
    holder = _read_lock(lock_file(path)) or {}
    who = "another program"
    pid = holder.get("pid")
    if isinstance(pid, int) and not (holder.get("host") == _HOST and not _pid_running(pid)):
        since = datetime.fromtimestamp(float(holder.get("time", 0) or 0)).strftime("%H:%M:%S")
        who = (
            f"{holder.get('program') or 'a program'} (pid {pid} on "
            f"{holder.get('host', '?')}, since {since})"
        )
    return InputError(
        f"project is open for writing in {who}; waited {LOCK_TIMEOUT_S:g} s",
        file=path,
        fix="wait until that save has finished and try again, "
        "or close the project in the other program",
    )


# --------------------------------------------------------------------------- connection
def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """Return ``(minx, maxx, miny, maxy)`` of a GeoPackage geometry blob, None if empty."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0x10:
        return None
    kind = (flags >> 1) & 0x07
    order = "<" if flags & 1 else ">"
    if kind:
        minx, maxx, miny, maxy = struct.unpack_from(order + "4d", blob, 8)
        return minx, maxx, miny, maxy
    geom = shapely.from_wkb(bytes(blob[8:]))
    if geom is None or geom.is_empty:
        return None
    x0, y0, x1, y1 = geom.bounds
    return x0, x1, y0, y1


def _register_functions(con: sqlite3.Connection) -> None:
    """Give ``con`` the ``ST_*`` functions GeoPackage R-tree triggers call (GDAL has its own)."""
    con.create_function(
        "ST_IsEmpty",
        1,
        lambda b: None if b is None else int(_envelope(b) is None),
        deterministic=True,
    )
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):

        def f(b: bytes | None, i: int = i) -> float | None:
            env = _envelope(b)
            return None if env is None else env[i]

        con.create_function(name, 1, f, deterministic=True)


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    con.execute("PRAGMA synchronous = FULL")
    _register_functions(con)
    return con


def recover(path: str | PathLike[str]) -> None:
    """Roll back a hot journal left by a killed save (SQLite does it on a writable open).

    Read-only readers (GDAL opens files read-only) cannot roll a hot journal
    back, so readers call this first; it is a no-op without a journal.
    """
    path = Path(path)
    journal = path.with_name(path.name + "-journal")
    if not journal.exists() or not os.access(path, os.W_OK):
        return
    with (
        contextlib.suppress(sqlite3.Error),
        contextlib.closing(_connect(path, LOCK_TIMEOUT_S)) as con,
    ):
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()


@contextlib.contextmanager
def transaction(
    path: str | PathLike[str],
    *,
    attach: str | PathLike[str] | None = None,
    timeout: float | None = None,
) -> Iterator[sqlite3.Connection]:
    """Yield a connection inside ``BEGIN IMMEDIATE`` on an existing project; commit on success.

    Parameters
    ----------
    path
        The project GeoPackage (must exist and be writable).
    attach
        A GeoPackage to attach as schema ``src`` (read only by convention).
    timeout
        Seconds to wait for another writer (default :data:`LOCK_TIMEOUT_S`).

    Raises
    ------
    InputError
        Read-only project, another writer holding the lock, or not an SQLite file.
    """
    path = Path(path)
    check_writable(path)
    clean_leftovers(path)
    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    try:
        con = _connect(path, timeout)
    except sqlite3.Error as err:
        raise _sqlite_error(path, err) from None
    lock = lock_file(path)
    holding = False
    try:
        try:
            if attach is not None:
                con.execute("ATTACH DATABASE ? AS src", (str(attach),))
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise _sqlite_error(path, err) from None
        holding = True
        _write_lock(lock)
        yield con
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        try:
            con.execute("COMMIT")
        except sqlite3.Error as err:
            raise _sqlite_error(path, err) from None
        holding = False
    except BaseException:
        if holding:
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
            with contextlib.suppress(sqlite3.Error):
                con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def _sqlite_error(path: Path, err: sqlite3.Error) -> InputError:
    text = str(err)
    if "locked" in text or "busy" in text:
        return _locked_error(path)
    if "readonly" in text or "read-only" in text:
        return InputError("the project is read-only", file=path, fix=_READ_ONLY_FIX)
    return InputError(
        f"cannot write the project file ({text})",
        file=path,
        fix="check that it is a GeoPackage and that the disk is not full",
    )


# --------------------------------------------------------------------------- catalogue helpers
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_exists(con: sqlite3.Connection, name: str, schema: str = "main") -> bool:
    """Whether table (or view) ``name`` exists in ``schema``."""
    row = con.execute(
        f"SELECT 1 FROM {schema}.sqlite_master WHERE type IN ('table', 'view') "
        "AND lower(name) = lower(?)",
        (name,),
    ).fetchone()
    return row is not None


def table_columns(con: sqlite3.Connection, name: str, schema: str = "main") -> dict[str, str]:
    """Return ``{column: declared type (upper case)}`` of a table, in order."""
    rows = con.execute(f"PRAGMA {schema}.table_info({_q(name)})").fetchall()
    return {str(r[1]): str(r[2] or "").upper() for r in rows}


def _geometry_column(con: sqlite3.Connection, layer: str, schema: str = "main") -> str | None:
    if not table_exists(con, "gpkg_geometry_columns", schema):
        return None
    row = con.execute(
        f"SELECT column_name FROM {schema}.gpkg_geometry_columns "
        "WHERE lower(table_name) = lower(?)",
        (layer,),
    ).fetchone()
    return None if row is None else str(row[0])


def _meta_tables(con: sqlite3.Connection, schema: str) -> list[str]:
    """GeoPackage catalogue tables of ``schema`` that have a ``table_name`` column."""
    names = [
        str(r[0])
        for r in con.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND "
            "(name LIKE 'gpkg%' ESCAPE '\\') ORDER BY name"
        )
    ]
    out = [n for n in names if "table_name" in table_columns(con, n, schema)]
    # gpkg_contents last when deleting (others refer to it), first when inserting
    return sorted(out, key=lambda n: n == "gpkg_contents")


def drop_layer(con: sqlite3.Connection, layer: str) -> None:
    """Drop a layer of the main database: table, R-tree, triggers, catalogue rows.

    Every name is qualified with ``main.``: SQLite resolves an unqualified
    name in attached databases too.
    """
    geom = _geometry_column(con, layer)
    if geom is not None:
        con.execute(f"DROP TABLE IF EXISTS main.{_q(f'rtree_{layer}_{geom}')}")
    con.execute(f"DROP TABLE IF EXISTS main.{_q(layer)}")
    for meta in _meta_tables(con, "main"):
        con.execute(f"DELETE FROM main.{_q(meta)} WHERE lower(table_name) = lower(?)", (layer,))
    if table_exists(con, "sqlite_sequence"):
        con.execute("DELETE FROM main.sqlite_sequence WHERE lower(name) = lower(?)", (layer,))


def _copy_rows(
    con: sqlite3.Connection,
    table: str,
    where: str,
    args: tuple[object, ...],
    *,
    verb: str = "INSERT OR REPLACE",
) -> None:
    """Copy rows of ``src.table`` into ``main.table`` (created like src's when missing)."""
    if con.execute(f"SELECT 1 FROM src.{_q(table)} WHERE {where} LIMIT 1", args).fetchone() is None:
        return
    if not table_exists(con, table, "main"):
        sql = con.execute(
            "SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
        con.execute(sql)
    common = [c for c in table_columns(con, table, "src") if c in table_columns(con, table, "main")]
    cols = ", ".join(_q(c) for c in common)
    con.execute(
        f"{verb} INTO main.{_q(table)} ({cols}) SELECT {cols} FROM src.{_q(table)} WHERE {where}",
        args,
    )


def copy_layer(con: sqlite3.Connection, layer: str) -> None:
    """Copy layer ``layer`` of schema ``src`` into main (which must not have it)."""
    ddl = con.execute(
        "SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name = ?", (layer,)
    ).fetchone()
    if ddl is None:
        msg = f"no layer {layer!r} in the attached GeoPackage"
        raise LookupError(msg)
    con.execute(ddl[0])
    con.execute(f"INSERT INTO main.{_q(layer)} SELECT * FROM src.{_q(layer)}")
    geom = _geometry_column(con, layer, "src")
    if geom is not None:
        rtree = f"rtree_{layer}_{geom}"
        row = con.execute("SELECT sql FROM src.sqlite_master WHERE name = ?", (rtree,)).fetchone()
        if row is not None:
            con.execute(row[0])
            con.execute(f"INSERT INTO main.{_q(rtree)} SELECT * FROM src.{_q(rtree)}")
    srs = (
        "srs_id IN (SELECT srs_id FROM src.gpkg_contents WHERE table_name = ?1 "
        "UNION SELECT srs_id FROM src.gpkg_geometry_columns WHERE table_name = ?1)"
    )
    _copy_rows(con, "gpkg_spatial_ref_sys", srs, (layer,), verb="INSERT OR IGNORE")
    for meta in reversed(_meta_tables(con, "src")):
        _copy_rows(con, meta, "table_name = ?", (layer,))
    for (sql,) in con.execute(
        "SELECT sql FROM src.sqlite_master WHERE type IN ('index', 'trigger') "
        "AND tbl_name = ? AND sql IS NOT NULL",
        (layer,),
    ).fetchall():
        con.execute(sql)


def _touch(con: sqlite3.Connection, layer: str) -> None:
    """Set ``gpkg_contents.last_change`` of ``layer`` to now."""
    con.execute(
        "UPDATE main.gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
        "WHERE lower(table_name) = lower(?)",
        (layer,),
    )


# --------------------------------------------------------------------------- frames
def write_frame(path: Path, df: pd.DataFrame, layer: str, geometry_type: str | None) -> None:
    """Write (or overwrite) one layer of a GeoPackage with pyogrio (not transactional)."""
    if isinstance(df, gpd.GeoDataFrame):
        pyogrio.write_dataframe(
            df,
            path,
            layer=layer,
            driver="GPKG",
            geometry_type=geometry_type,
            promote_to_multi=geometry_type == "MultiPolygon",
        )
    else:
        pyogrio.write_dataframe(pd.DataFrame(df), path, layer=layer, driver="GPKG")


def _write_temp(path: Path, layers: Layers) -> Path:
    """Write ``layers`` into a new private GeoPackage next to ``path``; return it."""
    tmp = _temp_name(path)
    try:
        for name, (df, gtype) in layers.items():
            write_frame(tmp, df, name, gtype)
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(p: Path) -> None:
    for q in (p, p.with_name(p.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            q.unlink()


def _replace_file(tmp: Path, target: Path) -> None:
    """``fsync`` ``tmp`` and move it onto ``target`` keeping target's mode and owner.

    A new ``target`` gets :func:`wufei_gis.atomic.default_file_mode` (``0666 & ~umask``).

    An existing target is replaced while its write lock is held, so no other
    writer is half-way through a transaction on it.
    """
    fsync_path(tmp)
    if not target.exists():
        with contextlib.suppress(FileNotFoundError):  # journal of a file no longer there
            target.with_name(target.name + "-journal").unlink()
        os.chmod(tmp, default_file_mode())  # a new file: the umask's mode, as any program's
        _move(tmp, target)
        return
    st = target.stat()
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    with contextlib.suppress(OSError):
        os.chown(tmp, st.st_uid, st.st_gid)
    recover(target)
    with transaction(target):
        _move(tmp, target)


def _move(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)
    with contextlib.suppress(OSError):
        fsync_path(target.parent if str(target.parent) else Path("."))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# --------------------------------------------------------------------------- writes
def write_layers(
    path: str | PathLike[str], layers: Layers, *, base: str | PathLike[str] | None = None
) -> Path:
    """Replace several layers of a GeoPackage in one transaction; other layers are kept.

    Parameters
    ----------
    path
        The GeoPackage to write (created when missing).
    layers
        ``{layer: (frame, geometry type)}``; geometry type ``None`` for tables
        (or to let pyogrio infer it).
    base
        Another GeoPackage whose other layers the result should keep ("Save
        As"): ``path`` becomes a copy of ``base`` with ``layers`` replaced,
        written whole (temporary file, fsync, one ``os.replace``).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    base = None if base is None else Path(base)
    if base is not None and (not base.exists() or _same_file(base, path)):
        base = None
    _ensure_folder(path)
    check_writable(path)
    if path.exists() and base is None:
        recover(path)
        src = _write_temp(path, layers)
        try:
            with transaction(path, attach=src) as con:
                for name in layers:
                    drop_layer(con, name)
                    copy_layer(con, name)
        finally:
            _remove(src)
        return path
    clean_leftovers(path)
    tmp = _temp_name(path)
    try:
        if base is not None:
            recover(base)
            shutil.copyfile(base, tmp)
            write_layers(tmp, layers)
        else:
            for name, (df, gtype) in layers.items():
                write_frame(tmp, df, name, gtype)
        _replace_file(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    return path


def _ensure_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(
            f"cannot create the folder ({err.strerror})",
            file=path,
            fix="choose a folder you can write to",
        ) from None


def replace_rows(path: str | PathLike[str], layers: Layers, *, column: str, value: object) -> Path:
    """Replace the rows whose ``column`` equals ``value`` in several layers, in one transaction.

    Rows with other values are kept untouched.  A layer that is missing, has
    no ``column`` or whose columns have other types than the new rows' is
    rewritten whole (its other rows merged in) inside the same transaction.
    """
    path = Path(path)
    if not path.exists():
        return write_layers(path, layers)
    _ensure_folder(path)
    check_writable(path)
    recover(path)
    for _attempt in range(5):
        src = _write_temp(path, layers)
        try:
            with transaction(path, attach=src) as con:
                stale = [n for n in layers if not _rows_compatible(con, n, column)]
                if not stale:  # else nothing was written: the transaction commits empty
                    for name in layers:
                        _replace_key_rows(con, name, column, value)
        finally:
            _remove(src)
        if not stale:
            return path
        merged = {
            n: (_merge_rows(path, n, df, gtype, column, value) if n in stale else df, gtype)
            for n, (df, gtype) in layers.items()
        }
        src = _write_temp(path, merged)
        try:
            with transaction(path, attach=src) as con:
                if all(_unchanged(con, n, column, value, merged[n][0]) for n in stale):
                    for name in layers:
                        if name in stale:
                            drop_layer(con, name)
                            copy_layer(con, name)
                        else:
                            _replace_key_rows(con, name, column, value)
                    return path
        finally:
            _remove(src)
    raise _locked_error(path)


def _rows_compatible(con: sqlite3.Connection, layer: str, column: str) -> bool:
    if not table_exists(con, layer):
        return False
    main, new = table_columns(con, layer), table_columns(con, layer, "src")
    if column not in main or _geometry_column(con, layer) != _geometry_column(con, layer, "src"):
        return False
    return all(main[c] == t for c, t in new.items() if c in main)


def _replace_key_rows(con: sqlite3.Connection, layer: str, column: str, value: object) -> None:
    main, new = table_columns(con, layer), table_columns(con, layer, "src")
    for c, t in new.items():
        if c not in main:
            con.execute(f"ALTER TABLE main.{_q(layer)} ADD COLUMN {_q(c)} {t}")
    cols = ", ".join(_q(c) for c in new if c != "fid")
    con.execute(f"DELETE FROM main.{_q(layer)} WHERE {_q(column)} = ?", (value,))
    con.execute(f"INSERT INTO main.{_q(layer)} ({cols}) SELECT {cols} FROM src.{_q(layer)}")
    geom = _geometry_column(con, layer)
    if geom is not None:
        rtree = f"rtree_{layer}_{geom}"
        if table_exists(con, rtree):
            rtree = f"main.{_q(rtree)}"
            con.execute(
                f"UPDATE main.gpkg_contents SET min_x = (SELECT min(minx) FROM {rtree}), "
                f"max_x = (SELECT max(maxx) FROM {rtree}), "
                f"min_y = (SELECT min(miny) FROM {rtree}), "
                f"max_y = (SELECT max(maxy) FROM {rtree}) "
                "WHERE lower(table_name) = lower(?)",
                (layer,),
            )
    _touch(con, layer)


def _merge_rows(
    path: Path, layer: str, new: pd.DataFrame, gtype: str | None, column: str, value: object
) -> pd.DataFrame:
    """Return ``new`` plus the rows of ``layer`` in ``path`` whose ``column`` is not ``value``."""
    if layer not in {str(n) for n, _ in pyogrio.list_layers(path)}:
        return new
    old = pyogrio.read_dataframe(path, layer=layer)
    if column not in old.columns:
        return new
    old = old[old[column] != value]
    if not len(old):
        return new
    out = pd.concat([old, new], ignore_index=True)
    if isinstance(new, gpd.GeoDataFrame):
        out = gpd.GeoDataFrame(out, geometry=new.geometry.name, crs=new.crs)
    return out


def _unchanged(
    con: sqlite3.Connection, layer: str, column: str, value: object, merged: pd.DataFrame
) -> bool:
    """Whether ``layer``'s other rows are still those merged (nobody wrote in between)."""
    if not table_exists(con, layer) or column not in table_columns(con, layer):
        return column not in merged.columns or not (merged[column] != value).any()
    n = con.execute(
        f"SELECT count(*) FROM {_q(layer)} WHERE {_q(column)} IS NOT ?", (value,)
    ).fetchone()[0]
    return int(n) == int((merged[column] != value).sum())
