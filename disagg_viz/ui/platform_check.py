"""Before Qt starts on a Linux desktop: are the system libraries its xcb platform plugin loads
there? Qt itself would abort with a message that often names the wrong one ("xcb-cursor0 is
needed" when libxcb-icccm4 is what is missing); this names every missing one and the command that
installs them. Offscreen and Wayland sessions are left to Qt."""

from __future__ import annotations

import ctypes.util
import os
import sys

# library (as ctypes finds it) -> (Debian/Ubuntu package, Fedora package)
XCB_LIBS = {
    "xcb-cursor": ("libxcb-cursor0", "xcb-util-cursor"),
    "xcb-icccm": ("libxcb-icccm4", "xcb-util-wm"),
    "xcb-keysyms": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "xcb-image": ("libxcb-image0", "xcb-util-image"),
    "xcb-render-util": ("libxcb-render-util0", "xcb-util-renderutil"),
    "xcb-shape": ("libxcb-shape0", "libxcb"),
    "xcb-xkb": ("libxcb-xkb1", "libxcb"),
    "xkbcommon-x11": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "EGL": ("libegl1", "libglvnd-egl"),
    "fontconfig": ("libfontconfig1", "fontconfig"),
    "dbus-1": ("libdbus-1-3", "dbus-libs"),
}


def uses_xcb(env=os.environ, platform: str = sys.platform) -> bool:
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_libraries(find=ctypes.util.find_library) -> list[str]:
    return [lib for lib in XCB_LIBS if find(lib) is None]


def advice(missing: list[str]) -> str:
    deb = " ".join(sorted({XCB_LIBS[m][0] for m in missing}))
    fed = " ".join(sorted({XCB_LIBS[m][1] for m in missing}))
    return ("disagg-viz: the window cannot open: Qt's X11 (xcb) platform needs system libraries that are "
            f"missing: {', '.join('lib' + m for m in missing)}.\n"
            f"  Debian/Ubuntu: sudo apt install {deb}\n"
            f"  Fedora:        sudo dnf install {fed}\n"
            "  (or run without a window: disagg-viz simulate FILE, disagg-viz export FILE --png out.png)")
