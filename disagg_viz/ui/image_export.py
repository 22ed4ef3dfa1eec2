"""Images that carry their scenario: PNG stills and GIF/APNG animations of a stretch of simulated
time, drawn from the window (or the kitchens alone) by moving the time cursor frame by frame."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable, Iterator

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from disagg_viz.atomic_file import atomic_write_bytes
from disagg_viz.scenario.embedded import gif_comment, png_text_info

MAX_FRAMES = 1200


class ExportCancelled(Exception):
    pass


def to_pil(image: QImage):
    from PIL import Image
    img = image.convertToFormat(QImage.Format_RGBA8888)
    w, h = img.width(), img.height()
    data = bytes(img.constBits())[: img.bytesPerLine() * h]
    return Image.frombuffer("RGBA", (w, h), data, "raw", "RGBA", img.bytesPerLine(), 1).convert("RGB")


def png_bytes(image: QImage, scenario_text: str) -> bytes:
    buf = io.BytesIO()
    to_pil(image).save(buf, "PNG", pnginfo=png_text_info(scenario_text), optimize=False)
    return buf.getvalue()


def write_png(path: Path, image: QImage, scenario_text: str) -> None:
    atomic_write_bytes(path, png_bytes(image, scenario_text))


def frame_times(t_from: float, t_to: float, fps: float) -> list[float]:
    if not (fps > 0 and t_to > t_from):
        raise ValueError("the stretch needs TO after FROM and a frame rate above 0")
    n = int(round((t_to - t_from) * fps)) + 1
    if n > MAX_FRAMES:
        raise ValueError(f"{n} frames is too many (at most {MAX_FRAMES}): shorten the stretch or lower the frame rate")
    return [t_from + k / fps for k in range(n)]


def render_frames(cursor, widget: QWidget, times: list[float], progress: Callable[[int, int], bool] | None = None
                  ) -> Iterator[QImage]:
    """Seek the cursor to each time, let the views repaint, grab ``widget``. ``progress(done, total)``
    returning False cancels. The cursor goes back where it was."""
    was, playing = cursor.t, cursor.playing
    cursor.pause()
    try:
        for k, t in enumerate(times):
            if progress is not None and progress(k, len(times)) is False:
                raise ExportCancelled()
            cursor.seek(t)
            QCoreApplication.processEvents()
            yield widget.grab().toImage()
        if progress is not None:
            progress(len(times), len(times))
    finally:
        cursor.seek(was)
        if playing:
            cursor.play()


def write_animation(path: Path, frames: Iterator[QImage], fps: float, scenario_text: str, scale: float = 1.0) -> int:
    """GIF (``.gif``) or APNG (``.png``/``.apng``) carrying the scenario. Returns frames written."""
    from PIL import Image
    pics = []
    for qimg in frames:
        pic = to_pil(qimg)
        if scale != 1.0:
            pic = pic.resize((max(1, int(pic.width * scale)), max(1, int(pic.height * scale))), Image.LANCZOS)
        pics.append(pic)
    if not pics:
        raise ValueError("no frames to write")
    duration = int(round(1000 / fps))
    buf = io.BytesIO()
    if path.suffix.lower() == ".gif":
        pal = [p.quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) for p in pics]
        pal[0].save(buf, "GIF", save_all=True, append_images=pal[1:], duration=duration, loop=0,
                    comment=gif_comment(scenario_text), disposal=1)
    else:
        pics[0].save(buf, "PNG", save_all=True, append_images=pics[1:], duration=duration, loop=0,
                     pnginfo=png_text_info(scenario_text))
    atomic_write_bytes(path, buf.getvalue())
    return len(pics)
