"""Scenarios carried inside images: a PNG text chunk (screenshots, APNG animations) or a GIF
comment. Opening such an image restores the scenario exactly. Read with Pillow (no Qt)."""

from __future__ import annotations

import struct
import zlib
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


MAX_TEXT_BYTES = 1_000_000              # the scenario text an image may carry (as a TOML file)


class _Bad(ValueError):
    pass


def _inflate(data: bytes) -> bytes:
    """zlib data, at most MAX_TEXT_BYTES of it (a compressed bomb stops there)."""
    z = zlib.decompressobj()
    out = z.decompress(data, MAX_TEXT_BYTES + 1)
    if len(out) > MAX_TEXT_BYTES or z.unconsumed_tail:
        raise _Bad(f"its scenario text is larger than {MAX_TEXT_BYTES:,} bytes")
    return out


def _png_text(data: bytes) -> str | None:
    """The scenario from a PNG's text chunks, walking the chunks (pixels are never decoded)."""
    pos = len(PNG_MAGIC)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if pos + 8 + length > len(data):
            raise _Bad("the PNG is cut short")
        start = pos + 8
        pos += 12 + length
        if kind == b"IEND":
            break
        if kind not in (b"tEXt", b"zTXt", b"iTXt"):
            continue                                     # pixels: skipped, never copied
        body = data[start:start + length]
        key, _, rest = body.partition(b"\0")
        if key.decode("latin-1") != TEXT_KEY:
            continue
        if kind == b"tEXt":
            text = rest
        elif kind == b"zTXt":
            text = _inflate(rest[1:])
        else:                                            # iTXt: flag, method, language\0, translated\0, text
            compressed = rest[:1] == b"\1"
            _, _, rest = rest[2:].partition(b"\0")
            _, _, text = rest.partition(b"\0")
            text = _inflate(text) if compressed else text
        if len(text) > MAX_TEXT_BYTES:
            raise _Bad(f"its scenario text is larger than {MAX_TEXT_BYTES:,} bytes")
        return text.decode("utf-8")
    return None


def _gif_comment(data: bytes) -> str | None:
    """The scenario from a GIF comment extension, walking the blocks (frames are never decoded)."""
    def sub_blocks(pos: int, keep: bool):
        out = bytearray()
        while True:
            if pos >= len(data):
                raise _Bad("the GIF is cut short")
            size = data[pos]
            pos += 1
            if size == 0:
                return pos, bytes(out)
            if keep:
                out += data[pos:pos + size]
                if len(out) > MAX_TEXT_BYTES + len(GIF_MARKER):
                    raise _Bad(f"its scenario text is larger than {MAX_TEXT_BYTES:,} bytes")
            pos += size

    if len(data) < 13:
        raise _Bad("the GIF is cut short")
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:                                # trailer
            return None
        if block == 0x21:                                # extension: label, sub-blocks
            label = data[pos + 1] if pos + 1 < len(data) else 0
            pos, body = sub_blocks(pos + 2, keep=label == 0xFE)
            if label == 0xFE and body.startswith(GIF_MARKER):
                return body[len(GIF_MARKER):].decode("utf-8")
        elif block == 0x2C:                              # an image: descriptor, colour table, LZW data
            if pos + 10 > len(data):
                raise _Bad("the GIF is cut short")
            local = data[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            pos, _ = sub_blocks(pos, keep=False)
        else:
            raise _Bad(f"unexpected GIF block 0x{block:02x}")
    return None


def scenario_text_from_image(path: Path, data) -> str:
    """The scenario TOML embedded in an image file's bytes, read from its text chunk or comment
    without decoding a single pixel (a 734-byte PNG claiming 10^9 pixels costs nothing).
    ``data``: bytes or a memory map (a PNG's walk then reads only its chunk headers)."""
    source = str(path)
    try:
        text = _png_text(data) if data[:8] == PNG_MAGIC else _gif_comment(data)
    except (_Bad, UnicodeDecodeError, zlib.error, struct.error, IndexError) as exc:
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
