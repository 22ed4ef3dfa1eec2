"""The display model: the one place the view state lives (presenting, focused kitchen, label
words, zoom, colour profile, which systems the sliders edit, blanked screen, folded panels, a
lesson's highlights and veil, a mystery link). Plain Python, no Qt: the window, kitchens, charts,
controls, presentation and menus read it and change it through ``set``, and follow it through
``subscribe`` (the napari / ndv "model with events" shape). Only the vocabulary is saved with the
scenario (``[view] vocabulary``); the rest is the screen's."""

from __future__ import annotations

from typing import Callable

ZOOMS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)   # type scale steps (Ctrl+= / Ctrl+- / Ctrl+0)
PRESENT_ZOOM = 1.5           # presenting enlarges to at least this
CHARTS_MIN_HEIGHT = 1000     # px of window height below which presenting folds the charts away
SCOREBOARD_MIN_WIDTH = 1600  # px of window width below which the kitchens carry the key numbers instead
VOCABULARIES = ("kitchen", "serving", "kubernetes")
PROFILES = ("dark", "projector")      # ui.palette holds their colours

Listener = Callable[[str, object], None]


class DisplayModel:
    """View state with validation and change notification: ``listener(name, value)`` is called
    once per field that really changed, after every field of the same ``set`` is in place."""

    FIELDS = ("presenting", "focus", "vocabulary", "zoom", "profile", "edit_target", "blanked",
              "charts_folded", "scoreboard_folded", "veiled", "highlights", "secret_link")

    def __init__(self, vocabulary: str = "kitchen", profile: str = "dark"):
        self.presenting = False
        self.focus: int | None = None           # index of the kitchen filling the stage (None: all)
        self.vocabulary = "kitchen"
        self.zoom = 1.0
        self.profile = "dark"
        self.edit_target: int | None = None     # "Sliders below edit": one system's index, or None for all
        self.blanked = False                    # presenting: B turns the screen black
        self.charts_folded = False              # presenting on a short screen: charts make room
        self.scoreboard_folded = False          # presenting on a narrow screen: kitchens carry the numbers
        self.veiled = False                     # a lesson hides the results until a guess
        self.highlights: tuple[str, ...] = ()   # "kitchen.pass", "chart.link", "scoreboard.ttft_p90"...
        self.secret_link = False                # a lesson's mystery: the link bandwidth is not shown
        self.systems: tuple[str, ...] = ()      # names of the systems on screen (bounds focus and target)
        self._listeners: list[Listener] = []
        self.set(vocabulary=vocabulary, profile=profile)

    # --- observers ----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    # --- changing -----------------------------------------------------------------------------
    def set(self, **changes) -> list[str]:
        """Validate every value first (nothing changes on a bad one), then store and notify.
        Returns the names that changed."""
        clean = {name: self._checked(name, value) for name, value in changes.items()}
        changed = [name for name, value in clean.items() if getattr(self, name) != value]
        for name in changed:
            setattr(self, name, clean[name])
        for name in changed:
            for listener in list(self._listeners):
                listener(name, getattr(self, name))
        return changed

    def _checked(self, name: str, value):
        if name not in self.FIELDS:
            raise ValueError(f"display: no field {name!r} (fields: {', '.join(self.FIELDS)})")
        if name in ("focus", "edit_target"):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 0 <= value < len(self.systems)):
                raise ValueError(f"display.{name}: {value!r} is not a system on screen "
                                 f"(0..{len(self.systems) - 1}, or None for all)")
            return value
        if name == "vocabulary":
            if value not in VOCABULARIES:
                raise ValueError(f"display.vocabulary: {value!r}; allowed: {', '.join(VOCABULARIES)}")
            return value
        if name == "profile":
            if value not in PROFILES:
                raise ValueError(f"display.profile: {value!r}; allowed: {', '.join(PROFILES)}")
            return value
        if name == "zoom":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
                raise ValueError(f"display.zoom: {value!r} is not a number")
            return float(min(max(value, ZOOMS[0]), ZOOMS[-1]))
        if name == "highlights":
            if isinstance(value, str) or not all(isinstance(p, str) for p in value):
                raise ValueError(f"display.highlights: {value!r} is not a list of part names")
            return tuple(value)
        if not isinstance(value, bool):
            raise ValueError(f"display.{name}: {value!r} is not true or false")
        return value

    def set_systems(self, names) -> None:
        """The systems on screen changed: a focus on a kitchen that is gone (the count changed)
        is dropped, and the sliders edit all systems again when the names changed, except when
        only the edited system's own name changed (a slider renamed it: "2P2D over NVLink" dragged
        to 25 GB/s stays the one the sliders edit)."""
        names = tuple(names)
        if names == self.systems:
            return
        count_changed = len(names) != len(self.systems)
        k = self.edit_target
        renamed_itself = (not count_changed and k is not None and k < len(names)
                          and all(a == b for j, (a, b) in enumerate(zip(names, self.systems)) if j != k))
        self.systems = names
        self.set(focus=None if count_changed else self.focus, edit_target=k if renamed_itself else None)

    # --- small verbs the keys and menus use ---------------------------------------------------
    def zoom_in(self) -> None:
        self.set(zoom=next((z for z in ZOOMS if z > self.zoom + 1e-9), ZOOMS[-1]))

    def zoom_out(self) -> None:
        self.set(zoom=next((z for z in reversed(ZOOMS) if z < self.zoom - 1e-9), ZOOMS[0]))

    def zoom_reset(self) -> None:
        self.set(zoom=1.0)

    def focus_next(self) -> None:
        """Each kitchen in turn, then all of them."""
        if not self.systems:
            return
        k = 0 if self.focus is None else self.focus + 1
        self.set(focus=k if k < len(self.systems) else None)

    def toggle_focus(self, index: int) -> None:
        """Double-click: this kitchen fills the stage; again: all of them."""
        self.set(focus=None if self.focus == index else index)

    def fit_presentation(self, width: int, height: int, lesson: bool) -> None:
        """Presenting: which panels fold for the window's size. A narrow screen gives the lesson
        the side column (the kitchens carry their own key numbers); a short one folds the charts
        (their ticks would be unreadable at presentation size)."""
        self.set(scoreboard_folded=not (width >= SCOREBOARD_MIN_WIDTH or not lesson),
                 charts_folded=height < CHARTS_MIN_HEIGHT)

    # --- what follows from the state ----------------------------------------------------------
    @property
    def charts_shown(self) -> bool:
        return not self.veiled and not self.charts_folded

    @property
    def scoreboard_shown(self) -> bool:
        return not self.veiled and not self.scoreboard_folded

    def highlighted(self, area: str) -> set[str]:
        """The parts of one area a lesson step points at: ``highlighted("kitchen")`` -> {"pass"}."""
        return {p.split(".", 1)[1] for p in self.highlights if p.startswith(area + ".")}
