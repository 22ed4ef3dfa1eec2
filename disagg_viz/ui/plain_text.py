"""Text from a file, shown as written. Qt guesses rich text from a ``<`` (labels, message boxes,
tooltips), and rich text loads resources: ``<img src=/any/local/file.png>`` in a stranger's title
would display, and re-export, a picture from outside the scenario. Every widget that shows file
text is set to plain text, or the text is escaped into the app's own markup with these helpers."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def escaped(text: str) -> str:
    """``text`` as rich-text markup that shows exactly its characters (line breaks kept)."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def tooltip(text: str) -> str:
    """A tooltip showing ``text`` as written: rich text forced by ``<qt>``, with the text escaped
    (a bare string would be guessed rich if it looked like markup)."""
    return f"<qt>{escaped(text)}</qt>" if text else ""


def plain_label(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.PlainText)
    return label


def plain_box(box: QMessageBox) -> QMessageBox:
    """A message box whose text and details are shown as written (they may quote a file)."""
    box.setTextFormat(Qt.PlainText)
    return box
