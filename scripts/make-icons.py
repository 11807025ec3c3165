#!/usr/bin/env python3
"""Draws Herald's app icons (a white "H" on indigo) into public/icons/: 192 and 512 px, and a
maskable 512 px whose glyph stays inside the 80 % safe zone. Standard library only."""
import struct
import zlib
from pathlib import Path

INDIGO = (67, 56, 202)
WHITE = (255, 255, 255)


def draw(size, inset, rounded):
    radius = size * 0.22 if rounded else 0
    start = size * inset
    span = size - 2 * start

    def in_h(x, y):
        u, v = (x - start) / span, (y - start) / span
        if not 0.28 <= v <= 0.72:
            return False
        return 0.28 <= u <= 0.38 or 0.62 <= u <= 0.72 or (0.46 <= v <= 0.54 and 0.28 <= u <= 0.72)

    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            cx = min(max(px, radius), size - radius)
            cy = min(max(py, radius), size - radius)
            if radius and (px - cx) ** 2 + (py - cy) ** 2 > radius * radius:
                row += bytes((0, 0, 0, 0))
            else:
                row += bytes((*(WHITE if in_h(px, py) else INDIGO), 255))
        rows.append(bytes(row))

    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


out = Path(__file__).resolve().parent.parent / "public" / "icons"
out.mkdir(parents=True, exist_ok=True)
(out / "icon-192.png").write_bytes(draw(192, 0.0, True))
(out / "icon-512.png").write_bytes(draw(512, 0.0, True))
(out / "maskable-512.png").write_bytes(draw(512, 0.1, False))
