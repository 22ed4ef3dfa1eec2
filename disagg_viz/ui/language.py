"""The ui's language: Qt's translation system (``tr``, QCoreApplication.translate) answered from
the same catalogue as the Qt-free core (disagg_viz/i18n.py), QLocale numbers, Qt's own strings
(standard buttons) from Qt's translations, and the choice in View > Language, saved in QSettings
and applied at the next start."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from disagg_viz import i18n
from disagg_viz.i18n import N_

CONTEXT = "disagg_viz"
SETTING = "language"


def tr(text: str) -> str:
    """``text`` through Qt's translation system (the installed CatalogueTranslator)."""
    return QCoreApplication.translate(CONTEXT, text)


def number(value: float, decimals: int = 0) -> str:
    """A number as the ui's locale writes it (Spanish: 1.234,5)."""
    return QLocale().toString(float(value), "f", decimals)


class CatalogueTranslator(QTranslator):
    """Answers every context from the language's catalogue; None lets Qt keep the source text."""

    def __init__(self, language: str, parent=None):
        super().__init__(parent)
        self.language = language
        self.entries = i18n.catalogue(language)

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 (Qt's signature)
        return self.entries.get(source_text) or None

    def isEmpty(self) -> bool:
        return not self.entries


_installed: list[QTranslator] = []


def system_language() -> str:
    code = QLocale.system().name().split("_")[0]
    return code if code in i18n.LANGUAGES else i18n.SOURCE_LANGUAGE


def saved_language() -> str:
    """The language chosen in View > Language, else the system's if translated, else English."""
    code = QSettings().value(SETTING, "", type=str)
    return code if code in i18n.LANGUAGES else system_language()


def apply_language(code: str) -> None:
    """Translate the ui and the Qt-free core into ``code`` from now on (windows built after this
    call show it). Qt's own strings come from its shipped qtbase_<code>.qm when present."""
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    locale = QLocale(code)
    QLocale.setDefault(locale)
    i18n.set_language(code, group=locale.groupSeparator(), decimal=locale.decimalPoint())
    if code == i18n.SOURCE_LANGUAGE:
        return
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    ours = CatalogueTranslator(code, app)
    app.installTranslator(ours)
    _installed.append(ours)


def build_language_menu(menu: QMenu, parent: QWidget) -> QActionGroup:
    """View > Language: one checkable item per language; a choice is saved and applies on restart."""
    group = QActionGroup(parent)
    group.setExclusive(True)
    current = i18n.language()
    for code, name in i18n.LANGUAGES.items():
        action = QAction(name, parent, checkable=True)
        action.setData(code)
        action.setChecked(code == current)
        group.addAction(action)
        menu.addAction(action)
    group.triggered.connect(lambda action: choose_language(parent, action.data()))
    return group


def restart_note(code: str) -> str:
    """What the user reads after choosing: in the chosen language and in the current one."""
    chosen = i18n.catalogue(code).get(RESTART_NOTE, RESTART_NOTE)
    now = tr(RESTART_NOTE)
    return chosen if chosen == now else f"{chosen}\n\n{now}"


RESTART_NOTE = N_("The new language applies when you restart disagg-viz.")


def choose_language(parent: QWidget, code: str) -> None:
    QSettings().setValue(SETTING, code)
    if code != i18n.language():
        QMessageBox.information(parent, tr("Language"), restart_note(code))
