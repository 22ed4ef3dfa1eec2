"""A station's words in the compact (presentation) kitchen: what it does, each part in a full and
a short form, and those words fitted to the lines its box has ("Prep 1:" / "57 waiting" in a
narrow column at 1024x768, never cut mid-word). ``kp``: the CompactPainter (its vocabulary,
veil, and its measure of a line at the floor size)."""

from __future__ import annotations

from disagg_viz.playback.snapshot import Station
from disagg_viz.ui.language import number, tr


def short_count(n: int) -> str:
    """A count in two figures: 512 -> 512, 4,960 -> 5.0k, 12,539 -> 13k."""
    if n < 1000:
        return number(n)
    return number(n / 1000, 1 if n < 9950 else 0) + "k"


def station_words(kp, st: Station) -> str:
    """The station's words on one line, in full."""
    name, parts = station_parts(kp, st)
    return f"{name}: " + ", ".join(full for full, _ in parts)


def station_parts(kp, st: Station) -> tuple[str, list[tuple[str, str]]]:
    """The station's name and what it does, each part in a full and a short form."""
    name = f"{kp.vocab.word(st.role)} {st.number}"
    if kp.mixed_gpus and st.gpu:             # a pool on another GPU says which
        name += f" ({st.gpu.split('-')[0].upper()})"
    kitchen = kp.vocab.mode == "kitchen"
    parts = []
    moving = kp.vocab.move_text(st).strip(" ·")      # dynamic pools: kept when a narrow box drops the name
    if moving:
        parts.append((moving, moving))
    if st.queue.size and not kp.veiled:
        waiting = tr("{n} waiting").format(n=number(st.queue.size))
        parts.append((waiting, waiting))
    if st.prefill_tokens:
        n = st.prefill_requests
        batch = (tr(" ({n} orders)") if kitchen else tr(" ({n} requests)")).format(n=n) if n > 1 else ""
        verb = tr("prepping {tokens} tok") if kitchen else tr("prefill {tokens} tok")
        short = tr("prep {tokens}") if kitchen else tr("prefill {tokens}")
        parts.append((verb.format(tokens=number(st.prefill_tokens)) + batch,
                      short.format(tokens=short_count(st.prefill_tokens))))
    if kp._stalled(st):
        ms = number(st.paused_s * 1e3)
        parts.append((tr("❚❚ {n} paused {ms} ms").format(n=len(st.seats), ms=ms),
                      tr("❚❚ paused {ms} ms").format(ms=ms)))
    elif st.seats:
        seats = kp.vocab.count(len(st.seats), "seats")
        parts.append((seats, seats))
    if not parts:
        parts.append((tr("idle"), tr("idle")))
    return name, parts


def _laid_out(name: str, forms: list[str], room: int, fits) -> list[str] | None:
    """The name and parts on one line, or broken between parts into at most ``room`` lines."""
    one = f"{name}: " + ", ".join(forms)
    if fits(one):
        return [one]
    if room < 2:
        return None
    lines, line = [], f"{name}:"
    for part in forms:
        joined = f"{line} {part}" if line.endswith(":") else f"{line}, {part}"
        if fits(joined):
            line = joined
        else:
            lines.append(line + ("" if line.endswith(":") else ","))
            line = part
    lines.append(line)
    return lines if len(lines) <= room and all(fits(x) for x in lines) else None


def fits_in_full(kp, st: Station, width: float, room: int, bold: bool) -> bool:
    """Whether every part of the station's words fits its box in full (a column where one does
    not takes the short forms for all its stations: one way of writing per column)."""
    name, parts = station_parts(kp, st)
    return _laid_out(name, [full for full, _ in parts], room, lambda text: kp._advance(text, bold) <= width) is not None


def station_lines(kp, st: Station, width: float, room: int, bold: bool, short: bool = False) -> list[str]:
    """The station's words in at most ``room`` lines of ``width`` pixels at the floor size:
    one line if it fits, else the short forms ("prep 13k"; from the start if ``short``), else
    broken between parts (a narrow column at 1024x768); if they still do not fit, the least
    telling parts step aside (seats, then prepping, then waiting: a stall stays), whole; a box
    of one line shortens the name to its number ("#3"), then drops it, before the numbers; only
    a part too long for a line of its own is elided."""
    name, parts = station_parts(kp, st)
    fits = lambda text: kp._advance(text, bold) <= width    # noqa: E731
    keep_order = sorted(range(len(parts)), key=lambda k: (0 if parts[k][0].startswith("❚❚") else 1, k))
    for n in range(len(parts), 0, -1):
        kept = sorted(keep_order[:n])
        for form in ((1,) if short else (0, 1)):
            lines = _laid_out(name, [parts[k][form] for k in kept], room, fits)
            if lines is not None:
                return lines
    if room < 2:          # one short line in a narrow column: the numbers after the station's
        for numbered in (True, False):           # number alone ("#3: 198 waiting"; the column says
            for n in range(len(parts), 0, -1):   # which pool), the least telling parts aside before
                line = ", ".join(parts[k][1] for k in sorted(keep_order[:n]))     # the number
                text = f"#{st.number}: {line}" if numbered else line
                if fits(text):
                    return [text]
    first = [parts[keep_order[0]][1]] if parts else []
    return ([f"{name}:"] + first)[:room] if room >= 2 else [", ".join(first)]
