#!/usr/bin/env python3
"""Draws the field app's icons (plain PNGs, no image library): a white spool of thread on the suite's green.
Run once by hand when the design changes: python3 .ci/fieldapp/icons.py"""
import os
import struct
import zlib

GREEN = (11, 93, 75)
WHITE = (255, 255, 255)
GOLD = (240, 180, 40)


def pixel(x, y, size, maskable):
    # Coordinates in 0..1; a maskable icon keeps its drawing inside the central 80 % safe zone.
    u, v = x / size, y / size
    scale = 0.62 if maskable else 0.78
    u, v = (u - 0.5) / scale + 0.5, (v - 0.5) / scale + 0.5
    if 0.22 <= u <= 0.78 and (0.14 <= v <= 0.24 or 0.76 <= v <= 0.86):
        return WHITE  # the spool's flanges
    if 0.32 <= u <= 0.68 and 0.24 < v < 0.76:
        band = int((v - 0.24) / 0.065)
        return GOLD if band % 2 == 0 else WHITE  # wound thread
    return GREEN


def png(size, maskable):
    rows = b"".join(b"\x00" + bytes(c for x in range(size) for c in pixel(x + 0.5, y + 0.5, size, maskable)) for y in range(size))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "gateway", "Bimtek.Gateway", "wwwroot", "app", "icons")
os.makedirs(out, exist_ok=True)
for name, size, maskable in [("icon-192.png", 192, False), ("icon-512.png", 512, False), ("icon-maskable-512.png", 512, True)]:
    with open(os.path.join(out, name), "wb") as f:
        f.write(png(size, maskable))
    print("wrote", name)
