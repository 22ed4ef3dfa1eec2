"""Scoreboard: per system TTFT/TPOT percentiles, worst stall, SLO attainment, throughput, KV shipped.
The best value of each row is bold and starred (not colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

# (label, value from summary, format, lower is better)
ROWS = [
    ("TTFT p50 (ms)", lambda s: s["ttft_ms"]["p50"], "{:,.0f}", True),
    ("TTFT p90 (ms)", lambda s: s["ttft_ms"]["p90"], "{:,.0f}", True),
    ("TPOT p50 (ms)", lambda s: s["tpot_ms"]["p50"], "{:,.1f}", True),
    ("TPOT p90 (ms)", lambda s: s["tpot_ms"]["p90"], "{:,.1f}", True),
    ("Worst stall (ms)", lambda s: s["stall_ms"]["max"], "{:,.0f}", True),
    ("SLO attainment", lambda s: 100 * s["slo_attainment"], "{:.1f}%", False),
    ("Throughput (tok/s)", lambda s: s["throughput_tokens_per_s"], "{:,.0f}", False),
    ("KV shipped (GB)", lambda s: s["kv_bytes_shipped"] / 1e9, "{:,.1f}", None),
    ("GPUs", lambda s: s["gpus"], "{:d}", None),
    # Where a tray's time goes (disaggregated; "-" for colocated systems).
    ("KV wait for room p90 (ms)", lambda s: s["kv_wait_ms"]["p90"], "{:,.1f}", True),
    ("KV queue for link p90 (ms)", lambda s: s["kv_queue_ms"]["p90"], "{:,.1f}", True),
    ("KV on the wire p90 (ms)", lambda s: s["kv_wire_ms"]["p90"], "{:,.1f}", True),
]


def _wrap(name: str, width: int = 9) -> str:
    """System names on a few short lines, so narrow columns still show them whole."""
    lines, line = [], ""
    words = []
    for word in name.replace(",", ", ").split():
        while len(word) > width:                    # "Disaggregated" -> "Disaggre-", "gated"
            words.append(word[: width - 3] + "-")
            word = word[width - 3:]
        words.append(word)
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


# lesson highlight id -> row
ROW_IDS = {"scoreboard.ttft_p50": 0, "scoreboard.ttft_p90": 1, "scoreboard.tpot_p50": 2, "scoreboard.tpot_p90": 3,
           "scoreboard.stall": 4, "scoreboard.attainment": 5, "scoreboard.throughput": 6, "scoreboard.kv_shipped": 7}


class Scoreboard(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(len(ROWS), 0, parent)
        self.setAccessibleName("scoreboard")
        self.setVerticalHeaderLabels([r[0] for r in ROWS])
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

    def set_highlight(self, ids, color: str) -> None:
        """Mark the rows a lesson step points at (a ▶ in the row label and a coloured label)."""
        self.highlighted = {ROW_IDS[i] for i in ids if i in ROW_IDS}
        self.highlight_color = color
        self._label_rows()

    def _label_rows(self) -> None:
        from PySide6.QtGui import QBrush, QColor
        for r, row in enumerate(ROWS):
            item = QTableWidgetItem(("▶ " if r in self.highlighted else "") + row[0])
            if r in self.highlighted:
                item.setBackground(QBrush(QColor(self.highlight_color)))
                item.setForeground(QBrush(QColor("#000000" if QColor(self.highlight_color).lightness() > 128 else "#ffffff")))
                f = QFont(item.font())
                f.setBold(True)
                item.setFont(f)
            self.setVerticalHeaderItem(r, item)

    def set_summaries(self, summaries: list[dict]) -> None:
        self.summaries = summaries
        self.setColumnCount(len(self.summaries))
        width = 13 if len(self.summaries) <= 2 else 9          # three or more columns share a narrow panel
        for c, s in enumerate(self.summaries):
            # An overloaded system's latencies grow with the run: say so above its numbers.
            head = QTableWidgetItem(_wrap(s["name"], width) + ("\n⚠ overloaded" if s.get("overloaded") else ""))
            head.setToolTip(s.get("overload_reason", ""))
            self.setHorizontalHeaderItem(c, head)
        for r, (label, fn, fmt, lower) in enumerate(ROWS):
            values = [fn(s) for s in self.summaries]
            known = [v for v in values if v is not None]
            best = None
            if lower is not None and len(known) > 1 and min(known) != max(known):
                best = min(known) if lower else max(known)
            for c, v in enumerate(values):
                text = "-" if v is None else fmt.format(v)
                item = QTableWidgetItem(("★ " if v is not None and v == best else "") + text)
                if v is not None and v == best:
                    f = QFont(item.font())
                    f.setBold(True)
                    item.setFont(f)
                self.setItem(r, c, item)

    def cell_text(self, label: str, column: int) -> str:
        row = [r[0] for r in ROWS].index(label)
        return self.item(row, column).text()
