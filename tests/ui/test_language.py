"""The ui in Spanish (issue 23, point 5): View > Language saves the choice and says it applies on
restart; a window built in Spanish has Spanish menus, controls, scoreboard rows, kitchen words and
lesson text, numbers with the Spanish separators; and nothing is cut at 1280x800."""

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from disagg_viz import i18n
from disagg_viz.ui.language import apply_language, saved_language, system_language, tr
from tests.ui.window_helpers import close_window, open_window


@pytest.fixture
def spanish():
    apply_language("es")
    yield
    apply_language("en")


def test_the_system_language_by_default_then_the_saved_choice():
    assert saved_language() == system_language() in i18n.LANGUAGES      # nothing saved yet
    QSettings().setValue("language", "es")
    assert saved_language() == "es"
    QSettings().setValue("language", "klingon")
    assert saved_language() == system_language()


def test_qt_translation_system_answers_from_the_catalogue(spanish):
    assert tr("&File") == "&Archivo"
    assert QPushButton().tr("Cancel") == "Cancelar"            # self.tr in any QObject subclass too
    assert QLocale().toString(1234567.5, "f", 1) == "1.234.567,5" and i18n.num(1234.5, ",.1f") == "1.234,5"
    apply_language("en")
    assert tr("&File") == "&File" and i18n._("&File") == "&File" and QLocale().decimalPoint() == "."


def test_view_language_saves_the_choice_and_says_it_applies_on_restart(qtbot, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append((title, text)))
    win = open_window(qtbot, "default.toml", start=False)
    view = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    language = next(a.menu() for a in view.actions() if a.text() == "&Language")
    items = {a.text(): a for a in language.actions()}
    assert set(items) == {"English", "Español"} and items["English"].isChecked()
    items["Español"].trigger()
    assert QSettings().value("language") == "es"
    assert told == [("Language", "El nuevo idioma se aplica al reiniciar disagg-viz.\n\n"
                                 "The new language applies when you restart disagg-viz.")]
    assert i18n.language() == "en"                # applied at the next start, as the note says
    close_window(win)


def _cut_labels(win) -> list[str]:
    """Visible labels whose single-line text is wider than the label."""
    cut = []
    for label in win.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap() and label.text() and "<" not in label.text():
            if label.fontMetrics().horizontalAdvance(label.text()) > label.width() + 1:
                cut.append(label.text())
    return cut


def test_a_window_in_spanish(qtbot, spanish, tmp_path):
    win = open_window(qtbot, "01-the-conflict.toml")
    menus = [a.text() for a in win.menuBar().actions()]
    assert menus[:5] == ["&Archivo", "&Ver", "&Reproducción", "&Lección", "Ay&uda"]
    assert win.time_controls.play.text() == "▶ Reproducir"
    assert win.lesson.title.text() == "<b>Dos trabajos, un puesto</b>"
    assert "Una H100 hace los dos trabajos" in win.lesson.text.text()     # goals close the lesson, not open it
    header = [win.scoreboard.verticalHeaderItem(r).text() for r in range(win.scoreboard.rowCount())]
    assert "Peor bloqueo" in header and "Cumplimiento del SLO" in header
    attainment = win.scoreboard.cell_text("SLO attainment", 0)
    assert "," in attainment and "." not in attainment, attainment          # 90,8%
    win.cursor.seek(12.5)
    assert win.time_controls.clock.text().strip().startswith("12,50 /")
    kitchen = win.kitchens[0]
    qtbot.waitUntil(lambda: "a los 12,5 s." in kitchen.accessibleDescription(), timeout=10_000)
    assert "Puesto:" in kitchen.accessibleDescription() and "servidos" in kitchen.accessibleDescription()
    assert not _cut_labels(win), _cut_labels(win)
    win.show_shortcuts()
    table = win._shortcuts.table
    assert (table.item(0, 0).text(), table.item(0, 1).text(), table.item(0, 2).text()) == \
        ("Reproducción", "Espacio", "reproducir / pausar")
    win._shortcuts.close()
    win.tabs.setCurrentIndex(1)
    assert win.explore.compute.text() == "Calcular mapa"
    win.tabs.setCurrentIndex(0)
    win.grab().save(str(tmp_path / "spanish.png"))
    assert (tmp_path / "spanish.png").stat().st_size > 10_000
    close_window(win)
    QApplication.processEvents()
