"""Scoreboard: per system TTFT/TPOT percentiles, worst stall, SLO attainment, throughput, KV shipped
and where the trays' time goes. The best value of each row is bold and starred (not colour alone);
a tie stars every tied column and says so. Goodput rows (the highest rate meeting the SLOs, per
GPU, per $/h and per kW) stay "-" until asked for: each needs a search over rates (Explore tab)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from disagg_viz.i18n import N_, num
from disagg_viz.metric_ids import SCOREBOARD_ROWS
from disagg_viz.presets import PRICES_AS_OF
from disagg_viz.sim.metric_registry import METRICS
from disagg_viz.ui.language import tr
from disagg_viz.ui.plain_text import tooltip

# The rows, by metric id (metric_ids.py; sim/metric_registry.py gives label, format and which way
# is better): first those read from each system's summary, then the goodput rows, filled on request
# from goodput records (Goodput.fields(), explore/goodput.py).
ROWS = [m for m in SCOREBOARD_ROWS if not METRICS[m].on_request]
GOODPUT_ROWS = [m for m in SCOREBOARD_ROWS if METRICS[m].on_request]
ONLY_WHEN_PRESENT = ("prefix_hit_rate",)     # rows hidden while no system on the board reports them
ALL_ROWS = ROWS + GOODPUT_ROWS
GOODPUT_HINT = N_("Requests/s meeting the SLOs, found by a search over rates: Explore tab > Goodput, "
                "or right-click the scoreboard")


def legend(summaries: list[dict], short: bool = False) -> str:
    """The marks' meaning, and a warning when the systems compared do not use the same GPUs
    (``short``: presenting, without where the prices come from)."""
    text = tr("★ best   ★= tied for best   ⚠ overloaded (hover the name)") if short else \
        tr("★ best   ★= tied for best   ⚠ overloaded (hover the name)   $/h: example prices "
           "({prices_as_of}; see Help > Cost Model), override them in [hardware]").format(prices_as_of=PRICES_AS_OF)
    gpus = sorted({int(s["gpus"]) for s in summaries})
    if len(gpus) > 1:
        text = (tr("⚠ These systems use different numbers of GPUs ({gpus}): compare "
                "per GPU (last row).").format(gpus=", ".join(map(str, gpus))) + "\n" + text)
    return text


def _wrap(name: str, width: int = 9) -> str:
    """System names on a few short lines, broken between words only (a long word keeps its
    line whole and the column widens: "Disaggregated", never "Disagg-regated")."""
    lines, line = [], ""
    for word in name.replace(",", ", ").split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


# lesson highlight id -> row
ROW_IDS = {f"scoreboard.{m}": k for k, m in enumerate(ALL_ROWS)}


def best_columns(values: list, lower_is_better: bool | None) -> set[int]:
    """Columns that hold the best value (every one of them on a tie); none when the row is not a
    score, when fewer than two have a value, when all are equal, or when all are zero (nobody
    meets the SLO: no winner)."""
    known = [v for v in values if v is not None]
    if lower_is_better is None or len(known) < 2 or min(known) == max(known) or not any(known):
        return set()
    best = min(known) if lower_is_better else max(known)
    return {c for c, v in enumerate(values) if v is not None and v == best}


def kitchen_numbers(summaries: list[dict], highlighted: set[int]) -> list[list[tuple[str, str, bool]]]:
    """Per system, (label, value, best) of the rows a lesson step points at, then SLO attainment,
    starred where best as on the scoreboard: what a compact kitchen shows under its served count."""
    rows = [ALL_ROWS[r] for r in sorted(highlighted) if not METRICS[ALL_ROWS[r]].on_request]
    rows = [r for r in rows if r != "attainment"][:3] + ["attainment"]
    short = {"attainment": tr("SLO"), "stall_max": tr("stall"),
             "prefix_hit_rate": tr("prefix hits")}      # Spanish's label was cut at 1024x768
    out: list[list[tuple[str, str, bool]]] = [[] for _ in summaries]
    for metric in rows:
        m = METRICS[metric]
        values = [m.value(s) for s in summaries]
        best = best_columns(values, m.lower_is_better)
        for c, v in enumerate(values):
            out[c].append((short.get(metric, tr(m.label)), _kitchen_text(m, v), c in best))
    return out


def _kitchen_text(m, v) -> str:
    """A number as a kitchen's narrow column shows it: token rates in thousands from 1,000
    ("5.7k tok/s", where the scoreboard says "5,697 tok/s")."""
    if m.unit == "tok/s" and v is not None and 1000 <= v < 10_000:
        return num(v / 1e3, ".1f") + "k tok/s"
    return m.text(v)


class Scoreboard(QTableWidget):
    filled = Signal()                    # new numbers: its columns' widths may have changed

    def __init__(self, parent=None):
        super().__init__(len(ALL_ROWS), 0, parent)
        self.setAccessibleName(tr("scoreboard"))
        self.setVerticalHeaderLabels([tr(METRICS[m].label) for m in ALL_ROWS])
        self.goodputs = None                 # list[Goodput] of the systems shown, once computed
        self.setEditTriggers(QTableWidget.NoEditTriggers)
        # Columns fit their numbers (never "…"); a narrow panel scrolls instead of hiding them.
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setTextElideMode(Qt.ElideNone)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.summaries: list[dict] = []
        self.highlighted: set[int] = set()
        self.highlight_color = "#F0E442"
        self.presenting = False              # the goodput rows show only once known (not as "-")

    def set_highlight(self, ids, color: str) -> None:
        """Mark the rows a lesson step points at (a ▶ in the row label and a coloured label)."""
        self.highlighted = {ROW_IDS[i] for i in ids if i in ROW_IDS}
        self.highlight_color = color
        self._label_rows()
        self.show_highlighted()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.show_highlighted()            # shown after the guess, or its dock resized

    def show_highlighted(self) -> None:
        """Scroll the rows a lesson step points at into view (a short panel shows ten rows of
        twenty: "Output/node" would be out of sight)."""
        rows = sorted(r for r in self.highlighted if not self.isRowHidden(r))
        if rows and self.columnCount():
            self.scrollTo(self.model().index(rows[-1], 0))
            self.scrollTo(self.model().index(rows[0], 0))

    def _label_rows(self) -> None:
        from PySide6.QtGui import QBrush, QColor
        for r, metric in enumerate(ALL_ROWS):
            item = QTableWidgetItem(("▶ " if r in self.highlighted else "") + tr(METRICS[metric].label))
            if r in self.highlighted:
                item.setBackground(QBrush(QColor(self.highlight_color)))
                item.setForeground(QBrush(QColor("#000000" if QColor(self.highlight_color).lightness() > 128 else "#ffffff")))
                f = QFont(item.font())
                f.setBold(True)
                item.setFont(f)
            self.setVerticalHeaderItem(r, item)

    def set_summaries(self, summaries: list[dict]) -> None:
        """A new run's numbers; its goodput is not known until asked for."""
        self.summaries = summaries
        self.goodputs = None
        self.setColumnCount(len(self.summaries))
        width = 13 if len(self.summaries) <= 2 else 9          # three or more columns share a narrow panel
        for c, s in enumerate(self.summaries):
            # An overloaded system's latencies grow with the run: say so above its numbers.
            head = QTableWidgetItem(_wrap(s["name"], width) + (tr("\n⚠ overloaded") if s.get("overloaded") else ""))
            head.setToolTip(tooltip(s.get("overload_reason", "")))
            self.setHorizontalHeaderItem(c, head)
        for r, metric in enumerate(ROWS):
            m = METRICS[metric]
            values = [m.value(s) for s in self.summaries]
            self._fill_row(r, [m.text(v) for v in values], best_columns(values, m.lower_is_better))
            # A row only some systems have (prefix caches) shows when one of them is on the board.
            if metric in ONLY_WHEN_PRESENT:
                self.setRowHidden(r, all(v is None for v in values))
        self._fill_goodput()
        self.show_highlighted()
        self.filled.emit()

    def _fill_row(self, r: int, texts: list[str], best: set[int], tips: list[str] | None = None) -> None:
        """One row: the best columns bold and starred (★= : tied for best)."""
        tie = len(best) > 1
        for c, text in enumerate(texts):
            item = QTableWidgetItem((("★= " if tie else "★ ") if c in best else "") + text)
            if c in best:
                item.setToolTip(tr("tied for best") if tie else tr("best"))
                f = QFont(item.font())
                f.setBold(True)
                item.setFont(f)
            if tips:
                item.setToolTip(tips[c])
            self.setItem(r, c, item)

    def set_goodput(self, goodputs) -> None:
        """Goodput of the systems on the scoreboard (None: not known for them)."""
        self.goodputs = goodputs if goodputs is not None and len(goodputs) == len(self.summaries) else None
        self._fill_goodput()
        self.filled.emit()

    def set_presenting(self, on: bool) -> None:
        """Presenting: rows of "-" waiting for a search over rates tell a class nothing and
        cost the rows the lesson points at their room (a 1920x1080 board scrolled)."""
        self.presenting = on
        self._fill_goodput()
        self.filled.emit()

    def _fill_goodput(self) -> None:
        n = len(self.summaries)
        records = [g.fields() for g in self.goodputs] if self.goodputs else None
        for k, metric in enumerate(GOODPUT_ROWS):
            self.setRowHidden(len(ROWS) + k, records is None and self.presenting)
            if records is None:
                self._fill_row(len(ROWS) + k, ["-"] * n, set(), [tr(GOODPUT_HINT)] * n)
                continue
            m = METRICS[metric]
            values = [m.value(rec) for rec in records]
            self._fill_row(len(ROWS) + k, [m.text(v) for v in values], best_columns(values, m.lower_is_better),
                           [tr("{rate} req/s in all, {probes} simulations").format(rate=num(g.rate, ".3g"), probes=g.probes) for g in self.goodputs])

    def cell_text(self, label: str, column: int) -> str:
        row = [METRICS[m].label for m in ALL_ROWS].index(label)
        return self.item(row, column).text()
