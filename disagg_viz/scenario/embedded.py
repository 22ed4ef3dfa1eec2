"""Scenarios carried inside images: a PNG text chunk (screenshots, APNG animations) or a GIF
comment. Opening such an image restores the scenario exactly. Read with Pillow (no Qt)."""

from __future__ import annotations

import io
from pathlib import Path

from disagg_viz.scenario.errors import Problem, ScenarioError

TEXT_KEY = "disagg-viz-scenario"         # no ':' in the key (QImageReader.textKeys splits on it)
GIF_MARKER = b"disagg-viz-scenario\n"    # the GIF comment starts with this line
MAX_IMAGE_BYTES = 200_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def image_kind(head: bytes) -> str | None:
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    return None


def scenario_text_from_image(path: Path, data: bytes) -> str:
    """The scenario TOML embedded in an image file's bytes."""
    from PIL import Image, UnidentifiedImageError
    source = str(path)
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format == "PNG":
                im.load()
                text = getattr(im, "text", {}).get(TEXT_KEY)
            else:
                comment = im.info.get("comment", b"")
                text = comment[len(GIF_MARKER):].decode("utf-8") if comment.startswith(GIF_MARKER) else None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem("", f"cannot read this image: {exc}")], source) from None
    if not text:
        raise ScenarioError([Problem("", "this image carries no disagg-viz scenario (export it with "
                                         "File > Export or `disagg-viz export` to include one)")], source)
    return text


def png_text_info(scenario_text: str):
    """Pillow PngInfo carrying the scenario (for PNG and APNG files written with Pillow)."""
    from PIL.PngImagePlugin import PngInfo
    info = PngInfo()
    info.add_itxt(TEXT_KEY, scenario_text, zip=True)
    return info


def gif_comment(scenario_text: str) -> bytes:
    return GIF_MARKER + scenario_text.encode("utf-8")
