"""Presenting with the scoreboard beside the lesson (a wide screen): the side column shared by
what needs it. The column is as wide as the scoreboard's columns need (from a third of the
screen up to WIDEST), and its height goes to the lesson's step and to the whole scoreboard (so
neither scrolls), what is left over shared between them. When both cannot fit, the
lesson keeps at most LESSON_SHARE of the column and the scoreboard scrolls to the rows the step
points at (scoreboard.show_highlighted)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTableWidget

SHARE = 0.33          # of the screen's width: the side column at least
WIDEST = 0.40         # ... and at most, for a scoreboard of long numbers
LESSON_SHARE = 0.6    # of the column's height the lesson keeps when both cannot fit


def board_width(board: QTableWidget) -> int:
    """Pixels the scoreboard needs across: its row labels and every column whole, and a scroll
    bar's width in case its rows scroll."""
    cols = sum(max(board.sizeHintForColumn(c), board.horizontalHeader().sectionSizeHint(c))
               for c in range(board.columnCount()))
    return board.verticalHeader().sizeHint().width() + cols + 2 * board.frameWidth() + \
        board.verticalScrollBar().sizeHint().width()


def board_height(board: QTableWidget) -> int:
    """Pixels the scoreboard needs down: its header and every row shown."""
    rows = sum(board.rowHeight(r) for r in range(board.rowCount()) if not board.isRowHidden(r))
    return board.horizontalHeader().height() + rows + 2 * board.frameWidth() + 6


def lesson_height(lesson_dock: QDockWidget) -> int:
    """Pixels the lesson dock needs down to show its step without scrolling."""
    panel = lesson_dock.widget()
    inner = panel.scroll.widget()
    content = inner.layout().totalHeightForWidth(panel.scroll.viewport().width())
    return lesson_dock.height() - panel.scroll.viewport().height() + content


def fit_column(win: QMainWindow, lesson_dock: QDockWidget, side_dock: QDockWidget, board: QTableWidget) -> None:
    """Width, then heights, of the lesson over the scoreboard (both shown, one column)."""
    width = int(win.width() * SHARE)
    if board.isVisible() and board.columnCount():
        chrome = side_dock.width() - board.width()           # the dock's and its layout's margins
        width = max(width, min(board_width(board) + chrome, int(win.width() * WIDEST)))
    win.resizeDocks([side_dock], [width], Qt.Horizontal)
    total = lesson_dock.height() + side_dock.height()
    lesson = lesson_height(lesson_dock)
    if board.isVisible():
        board_need = side_dock.height() - board.height() + board_height(board)
        if lesson + board_need <= total:          # both fit: the room to spare is shared
            share = lesson + (total - lesson - board_need) // 2
        else:
            share = max(min(lesson, int(total * LESSON_SHARE)), total - board_need)
    else:                                  # the results are veiled: the lesson asks the question
        share = max(lesson, total // 2)
    share = min(share, total - 80)
    win.resizeDocks([lesson_dock, side_dock], [share, total - share], Qt.Vertical)
