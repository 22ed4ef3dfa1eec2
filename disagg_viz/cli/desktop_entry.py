"""``disagg-viz --install-desktop-entry``: put the app in the desktop's application menu (Linux
and other freedesktop.org desktops). Writes the shipped ``disagg-viz.desktop`` (with the full path
of this installation's launcher) to ``$XDG_DATA_HOME/applications`` (default
``~/.local/share/applications``) and the icon to ``$XDG_DATA_HOME/icons/hicolor/scalable/apps``.
``--uninstall-desktop-entry`` removes both."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from disagg_viz.atomic_file import atomic_write_text
from disagg_viz.resources import assets_dir

DESKTOP_NAME = "disagg-viz.desktop"
ICON_NAME = "disagg-viz.svg"


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def entry_paths() -> tuple[Path, Path]:
    """Where the .desktop file and the icon go."""
    home = data_home()
    return home / "applications" / DESKTOP_NAME, home / "icons" / "hicolor" / "scalable" / "apps" / ICON_NAME


def launcher_command() -> str:
    """How the menu starts this installation: its ``disagg-viz-gui`` launcher when it sits beside
    the running Python or is on PATH, else this Python with ``-m disagg_viz``."""
    if getattr(sys, "frozen", False):                      # a standalone build: the executable itself
        return shlex.quote(sys.executable)
    beside = Path(sys.executable).parent / ("disagg-viz-gui.exe" if sys.platform == "win32" else "disagg-viz-gui")
    found = str(beside) if beside.is_file() else shutil.which("disagg-viz-gui")
    if found:
        return shlex.quote(found)
    return f"{shlex.quote(sys.executable)} -m disagg_viz"


def desktop_text(command: str) -> str:
    """The shipped .desktop file with Exec and TryExec pointing at ``command``."""
    lines = []
    for line in (assets_dir() / DESKTOP_NAME).read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={command} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={shlex.split(command)[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop_entry() -> list[Path]:
    """Write the menu entry and its icon; returns the files written."""
    desktop, icon = entry_paths()
    desktop.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(icon, (assets_dir() / "icon.svg").read_text(encoding="utf-8"))
    atomic_write_text(desktop, desktop_text(launcher_command()))
    return [desktop, icon]


def uninstall_desktop_entry() -> list[Path]:
    """Remove the menu entry and its icon; returns the files removed."""
    removed = []
    for path in entry_paths():
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
