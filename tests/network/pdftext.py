"""Read the text back out of a PDF that WeasyPrint wrote — from the bytes, not from the HTML.

No PDF tool is installed (no pdftotext, no pypdf), so this reads just enough
of the format for WeasyPrint's output: Flate-compressed streams and object
streams, each page's fonts and their ToUnicode maps, and the ``Tj``/``TJ``
text operators with two-byte glyph codes. If the fonts, the maps or the
drawn text were wrong, the words would not come back.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*)\r?\nendstream", re.S)
_REF = rb"(\d+) 0 R"


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary text, decoded stream or None), object streams unpacked."""
    out: dict[int, tuple[bytes, bytes | None]] = {}
    for num, body in _OBJ.findall(pdf):
        m = _STREAM.search(body)
        head = body[: m.start()] if m else body
        data = None
        if m:
            data = m.group(1)
            if b"/FlateDecode" in head:
                data = zlib.decompress(data)
        out[int(num)] = (head, data)
    for head, data in list(out.values()):
        if b"/ObjStm" not in head or data is None:
            continue
        first = int(re.search(rb"/First (\d+)", head).group(1))
        n = int(re.search(rb"/N (\d+)", head).group(1))
        pairs = [int(x) for x in data[:first].split()][: 2 * n]
        offsets = [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
        for i, (num, offset) in enumerate(offsets):
            end = offsets[i + 1][1] if i + 1 < len(offsets) else len(data) - first
            out[num] = (data[first + offset : first + end], None)
    return out


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}

    def text(hexes: bytes) -> str:
        raw = bytes.fromhex(hexes.decode())
        return raw.decode("utf-16-be", errors="replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if rest.startswith(b"["):
                for i, dst in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", rest)):
                    mapping[lo_i + i] = text(dst)
            else:
                start = bytes.fromhex(rest[1:-1].decode())
                base = int.from_bytes(start, "big")
                for i in range(hi_i - lo_i + 1):
                    mapping[lo_i + i] = (base + i).to_bytes(len(start), "big").decode("utf-16-be", errors="replace")
    return mapping


def _dict_entry(head: bytes, key: bytes, objects: dict[int, tuple[bytes, bytes | None]]) -> bytes:
    """The value text of ``/key`` (following one indirect reference)."""
    m = re.search(rb"/" + key + rb"\s*" + _REF, head)
    if m:
        return objects[int(m.group(1))][0]
    m = re.search(rb"/" + key + rb"\s*(<<.*?>>)", head, re.S)
    return m.group(1) if m else b""


def page_texts(pdf: bytes) -> list[str]:
    """The text drawn on each page, NFC-normalised, lines separated by newlines."""
    objects = _objects(pdf)
    pages = [(num, head) for num, (head, _d) in objects.items() if re.search(rb"/Type\s*/Page(?![s\w])", head)]
    pages.sort()
    # Pages appear in document order in the /Kids array of the page tree.
    kids = next((re.findall(_REF, re.search(rb"/Kids\s*\[(.*?)\]", h, re.S).group(1))
                 for h, _d in objects.values() if re.search(rb"/Type\s*/Pages", h)), [])
    order = {int(k): i for i, k in enumerate(kids)}
    pages.sort(key=lambda p: order.get(p[0], p[0]))
    out = []
    for _num, head in pages:
        resources = _dict_entry(head, b"Resources", objects)
        fonts_text = _dict_entry(resources, b"Font", objects)
        fonts: dict[bytes, dict[int, str]] = {}
        for name, ref in re.findall(rb"/([\w.+-]+)\s*" + _REF, fonts_text):
            font_head = objects[int(ref)][0]
            m = re.search(rb"/ToUnicode\s*" + _REF, font_head)
            fonts[name] = _cmap(objects[int(m.group(1))][1] or b"") if m else {}
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|" + _REF + rb")", head).group(1)
        stream = b"".join(objects[int(r)][1] or b"" for r in re.findall(_REF, contents))
        out.append(unicodedata.normalize("NFC", _show(stream, fonts)))
    return out


def _show(stream: bytes, fonts: dict[bytes, dict[int, str]]) -> str:
    text: list[str] = []
    font: dict[int, str] = {}
    token = re.compile(rb"/([\w.+-]+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|\bET\b")
    for m in token.finditer(stream):
        if m.group(1) is not None:
            font = fonts.get(m.group(1), {})
        elif m.group(2) is not None or m.group(3) is not None:
            hexes = re.findall(rb"<([0-9A-Fa-f]*)>", m.group(2)) if m.group(2) is not None else [m.group(3)]
            for h in hexes:
                for i in range(0, len(h), 4):
                    text.append(font.get(int(h[i : i + 4], 16), ""))
        else:
            text.append("\n")
    return "".join(text)


def squeeze(value: str) -> str:
    """Without white space: a name wrapped over two lines still matches."""
    return "".join(unicodedata.normalize("NFC", value).split())
