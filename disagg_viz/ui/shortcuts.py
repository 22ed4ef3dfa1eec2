"""Every key the app answers to, in one list: the Keyboard Shortcuts dialog (F1 or ?) shows it,
and a test checks that every shortcut the window has is listed here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from disagg_viz.i18n import N_
from disagg_viz.ui.language import tr

KEYS: list[tuple[str, str, str]] = [
    # (group, keys, what they do)
    (N_("Playback"), N_("Space"), N_("play / pause")),
    (N_("Playback"), N_(", and ."), N_("step back / forward 50 ms of simulated time")),
    (N_("Playback"), N_("Ctrl+R"), N_("reset to the scenario as opened (one re-run)")),
    (N_("Lesson"), N_("Ctrl+PgDown / Ctrl+PgUp"), N_("next / previous lesson step")),
    (N_("Presentation"), N_("F5"), N_("present: full screen, big type, lesson and scoreboard only")),
    (N_("Presentation"), N_("Esc"), N_("leave presentation")),
    (N_("Presentation"), N_("PgDown, Right / PgUp, Left"), N_("next / previous lesson step (what clickers send)")),
    (N_("Presentation"), N_("B"), N_("blank the screen (again to show it)")),
    (N_("Presentation"), N_("1 / 2 / 3 / 4"), N_("commit that choice as the class's guess (also in the presenter view)")),
    (N_("Presentation"), N_("F6"), N_("presenter view: the teacher's note, the answer, the next step and a clock "
                                    "in a second window")),
    (N_("View"), N_("Ctrl+= / Ctrl+- / Ctrl+0"), N_("zoom the whole window in / out / back to 100%")),
    (N_("View"), N_("Ctrl+1 / Ctrl+2"), N_("Kitchen tab / Explore tab")),
    (N_("View"), N_("F (or double-click a kitchen)"), N_("one kitchen fills the stage; again: the next, then all")),
    (N_("View"), N_("Right-click a station (or the menu key)"),
     N_("break it now: lose the station, bring it back, or slow its KV port ([[faults]], Reset undoes)")),
    (N_("View"), N_("F1 or ?"), N_("this list")),
    (N_("Sliders"), N_("Left/Right or Up/Down"), N_("1% step")),
    (N_("Sliders"), N_("Shift + arrows"), N_("0.1% step (fine)")),
    (N_("Sliders"), N_("PgUp / PgDown"), N_("10% step (coarse)")),
    (N_("Sliders"), N_("Home / End"), N_("lowest / highest value")),
    (N_("Files"), N_("Ctrl+N / Ctrl+O / Ctrl+S / Ctrl+Shift+S"), N_("new / open / save / save as")),
    (N_("Files"), N_("Ctrl+Shift+C / Ctrl+Shift+V"), N_("copy / paste the scenario as text")),
    (N_("Files"), N_("Ctrl+Q"), N_("quit")),
]


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Keyboard shortcuts"))
        self.setObjectName("shortcuts-dialog")
        lay = QVBoxLayout(self)
        self.table = QTableWidget(len(KEYS), 3)
        self.table.setAccessibleName(tr("keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels(["", tr("Keys"), tr("What they do")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        for r, row in enumerate(KEYS):
            for c, text in enumerate(row):
                item = QTableWidgetItem(tr(text))
                if c == 1:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.Close).clicked.connect(self.accept)
        lay.addWidget(buttons)
        self.resize(720, 560)
        self.setAttribute(Qt.WA_DeleteOnClose, False)

    def listed(self) -> str:
        return " ".join(k for _, k, _ in KEYS)
