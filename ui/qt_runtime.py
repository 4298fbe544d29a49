"""Can Qt start here?  One clear line instead of a Qt abort dump.

The PyQt6 wheels carry Qt itself but load a few system libraries (OpenGL/EGL,
fontconfig, xkbcommon, and for the X11 platform plugin the xcb helpers).  On a
bare machine one of them may be missing; Qt then fails at import time with an
``ImportError`` naming a ``.so`` file, or aborts the process (a core dump) when
its platform plugin cannot load.  :func:`qt_runtime_problem` finds both cases
*before* a ``QApplication`` exists and says which library is missing and which
package provides it.  This module imports Qt only inside functions.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys

__all__ = ["LIBRARY_PACKAGES", "describe_missing_library", "qt_runtime_problem"]

#: Shared library → (Debian/Ubuntu package, Fedora/RHEL package) that provides it.
LIBRARY_PACKAGES: dict[str, tuple[str, str]] = {
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
}

#: Libraries the X11 (``xcb``) platform plugin loads when the window opens.
XCB_LIBRARIES = (
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-keysyms.so.1",
    "libxcb-image.so.0",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-randr.so.0",
    "libxkbcommon-x11.so.0",
    "libX11-xcb.so.1",
)

_SO_NAME = re.compile(r"(lib[\w.+-]+\.so(?:\.\d+)*)")


def describe_missing_library(error_text: str) -> str:
    """Turn a loader error (``libEGL.so.1: cannot open shared object file``) into advice.

    Returns one line naming the library and the package that provides it.
    """
    match = _SO_NAME.search(error_text)
    if not match:
        return f"Qt could not be loaded: {error_text.strip()}"
    lib = match.group(1)
    debian, fedora = LIBRARY_PACKAGES.get(lib, ("", ""))
    if debian:
        how = (
            f"install the system package '{debian}' (Debian/Ubuntu: apt install {debian}; "
            f"Fedora: dnf install {fedora})"
        )
    else:
        how = "install the system package that provides it"
    return (
        f"the desktop app needs the system library {lib}, which is missing: {how}. "
        "The wufei command line works without it."
    )


def _loadable(lib: str) -> bool:
    try:
        ctypes.CDLL(lib)
    except OSError:
        return False
    return True


def _platform() -> str:
    """The Qt platform plugin that will be used (Linux rules; other systems: native)."""
    name = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if name:
        return name
    if not sys.platform.startswith("linux"):
        return "native"
    if os.environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    if os.environ.get("DISPLAY"):
        return "xcb"
    return ""


def qt_runtime_problem() -> str | None:
    """Return one line saying why Qt cannot start here, or ``None`` when it can.

    Checks that the PyQt6 modules import (their system libraries load) and,
    on Linux, that there is a display or an offscreen platform, and that the
    X11 plugin's libraries load when X11 will be used.
    """
    try:
        import PyQt6.QtCore
        import PyQt6.QtGui
        import PyQt6.QtWidgets  # noqa: F401 - imported only to see whether the libraries load
    except ImportError as err:
        return describe_missing_library(str(err))
    platform = _platform()
    if platform == "":
        return (
            "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset): run "
            "the app on a desktop, or set QT_QPA_PLATFORM=offscreen for --screenshot"
        )
    if platform == "xcb":
        for lib in XCB_LIBRARIES:
            if not _loadable(lib):
                return describe_missing_library(lib)
    return None
