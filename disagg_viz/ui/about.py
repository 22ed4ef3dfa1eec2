"""Help > About: the version, the licence, where the app keeps its files (shipped scenarios,
documents, Numba's compiled-code cache, settings) and a "Copy report" button that puts the
versions of everything a bug report needs on the clipboard."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from disagg_viz import __version__
from disagg_viz.resources import doc_path, scenarios_dir
from disagg_viz.ui.language import tr

LICENCE = "MIT"


def _version(module: str) -> str:
    try:
        mod = __import__(module)
    except ImportError:
        return "not installed"
    return str(getattr(mod, "__version__", "unknown"))


def versions() -> dict[str, str]:
    """What a bug report needs: this app's version and its stack's, the OS and Qt's platform."""
    import PySide6
    from PySide6.QtCore import qVersion
    app = QGuiApplication.instance()
    return {
        "disagg-viz": __version__,
        "Python": f"{platform.python_version()} ({platform.python_implementation()}, {sys.executable})",
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "pyqtgraph": _version("pyqtgraph"),
        "numpy": _version("numpy"),
        "numba": _version("numba"),
        "llvmlite": _version("llvmlite"),
        "OS": platform.platform(),
        "machine": platform.machine(),
        "Qt platform plugin": app.platformName() if app is not None else "none",
        "standalone build": "yes" if getattr(sys, "frozen", False) else "no",
    }


def places() -> dict[str, str]:
    """Where the app reads and writes."""
    cache = os.environ.get("NUMBA_CACHE_DIR", "")
    return {
        "Shipped scenarios": str(scenarios_dir()),
        "Documents": str(doc_path("cost-model.md").parent),
        "Numba cache (compiled simulator)": cache or "none (compiled in memory on every start)",
        "Settings": QSettings().fileName(),
    }


def versions_report() -> str:
    """Plain text for a bug report: versions, then places."""
    lines = [f"{k}: {v}" for k, v in versions().items()]
    lines += [f"{k}: {v}" for k, v in places().items()]
    return "\n".join(lines) + "\n"


def _link(path: str) -> str:
    p = Path(path)
    if not p.exists():
        return path
    return f'<a href="{QUrl.fromLocalFile(str(p)).toString()}">{path}</a>'


class AboutDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("about-dialog")
        self.setWindowTitle(tr("About disagg-viz"))
        lay = QVBoxLayout(self)
        rows = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{_link(v)}</td></tr>" for k, v in places().items())
        self.text = QLabel(
            f"<h2>disagg-viz {__version__}</h2>"
            + "<p>" + tr("A token-level simulation of disaggregated LLM serving (prefill and decode pools, KV "
                         "shipped over a link) beside colocated serving, told as a kitchen.") + "</p><p>"
            + tr("Licence: {licence} (the LICENSE file that comes with it). Prices and hardware figures are "
                 "public examples; see Help &gt; Cost Model.").format(licence=LICENCE) + "</p>"
            f"<table>{rows}</table>")
        self.text.setTextFormat(Qt.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextBrowserInteraction)
        self.text.setOpenExternalLinks(True)
        self.text.setAccessibleName("about disagg-viz")
        lay.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.copy_button = QPushButton(tr("&Copy report"))
        self.copy_button.setToolTip(tr("Copy the versions of disagg-viz, Python, Qt, numpy, numba and the OS, "
                                       "for a bug report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.note = QLabel("")
        lay.addWidget(self.note)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(versions_report())
        self.note.setText(tr("Copied: paste it into your bug report."))


def open_document(name: str) -> bool:
    """Open a shipped document (e.g. cost-model.md) with the desktop's viewer for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(doc_path(name))))
