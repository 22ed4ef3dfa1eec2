"""Every key the app answers to, in one list: the Keyboard Shortcuts dialog (F1 or ?) shows it,
and a test checks that every shortcut the window has is listed here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

KEYS: list[tuple[str, str, str]] = [
    # (group, keys, what they do)
    ("Playback", "Space", "play / pause"),
    ("Playback", ", and .", "step back / forward 50 ms of simulated time"),
    ("Playback", "Ctrl+R", "reset to the scenario as opened (one re-run)"),
    ("Lesson", "Ctrl+PgDown / Ctrl+PgUp", "next / previous lesson step"),
    ("Presentation", "F5", "present: full screen, big type, lesson and scoreboard only"),
    ("Presentation", "Esc", "leave presentation"),
    ("Presentation", "PgDown, Right / PgUp, Left", "next / previous lesson step (what clickers send)"),
    ("Presentation", "B", "blank the screen (again to show it)"),
    ("Presentation", "1 / 2 / 3 / 4", "commit that choice as the class's guess (also in the presenter view)"),
    ("Presentation", "F6", "presenter view: the teacher's note, the answer, the next step and a clock "
                           "in a second window"),
    ("View", "Ctrl+= / Ctrl+- / Ctrl+0", "zoom the whole window in / out / back to 100%"),
    ("View", "Ctrl+1 / Ctrl+2", "Kitchen tab / Explore tab"),
    ("View", "F (or double-click a kitchen)", "one kitchen fills the stage; again: the next, then all"),
    ("View", "F1 or ?", "this list"),
    ("Sliders", "Left/Right or Up/Down", "1% step"),
    ("Sliders", "Shift + arrows", "0.1% step (fine)"),
    ("Sliders", "PgUp / PgDown", "10% step (coarse)"),
    ("Sliders", "Home / End", "lowest / highest value"),
    ("Files", "Ctrl+N / Ctrl+O / Ctrl+S / Ctrl+Shift+S", "new / open / save / save as"),
    ("Files", "Ctrl+Shift+C / Ctrl+Shift+V", "copy / paste the scenario as text"),
    ("Files", "Ctrl+Q", "quit"),
]


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcuts-dialog")
        lay = QVBoxLayout(self)
        self.table = QTableWidget(len(KEYS), 3)
        self.table.setAccessibleName("keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["", "Keys", "What they do"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        for r, row in enumerate(KEYS):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
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
