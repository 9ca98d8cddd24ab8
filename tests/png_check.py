#!/usr/bin/env python3
"""tests/png_check.py -- is a PNG a real picture, not a blank one?

usage: png_check.py FILE [--min-colours N] [--min-ink F] [--min-width W] [--min-height H]

Decodes the PNG with zlib and struct only (no PIL): 8-bit greyscale, RGB,
palette, grey+alpha and RGBA, not interlaced -- what gnuplot's pngcairo and
Chromium's screenshots write.  Prints one line, "FILE: WxH, N colours, F ink"
(ink: the share of pixels that are not the most common colour, the
background), and exits 0 when every given minimum is met, 1 (with the reason)
when not, 2 when the file is not such a PNG.
"""
import argparse
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _swar_add(a, b, m7, m8):
    """Bytewise (a + b) mod 256 of two big-endian byte strings held as ints."""
    return ((a & m7) + (b & m7)) ^ ((a ^ b) & m8)


def decode(path):
    """(width, height, colour type, bytes per pixel, palette, rows)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, plte, ihdr = 8, [], None, None
    while pos + 8 <= len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if ihdr is None or not idat:
        raise ValueError("no IHDR or no IDAT")
    width, height, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or interlace != 0 or ctype not in CHANNELS:
        raise ValueError("unsupported: bit depth %d, colour type %d, interlace %d" % (depth, ctype, interlace))
    bpp = CHANNELS[ctype]
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    if len(raw) < height * (stride + 1):
        raise ValueError("image data too short")
    m7 = int.from_bytes(b"\x7f" * stride, "big")
    m8 = int.from_bytes(b"\x80" * stride, "big")
    prev, rows = bytes(stride), []
    for y in range(height):
        start = y * (stride + 1)
        filt, line = raw[start], raw[start + 1:start + 1 + stride]
        if filt == 0:
            cur = line
        elif filt == 2:  # Up: one wide addition
            cur = _swar_add(int.from_bytes(line, "big"), int.from_bytes(prev, "big"), m7, m8).to_bytes(stride, "big")
        elif filt == 1:  # Sub: a prefix sum, in log2(width) wide additions
            x, shift = int.from_bytes(line, "big"), 8 * bpp
            while shift < 8 * stride:
                x = _swar_add(x, x >> shift, m7, m8)
                shift *= 2
            cur = x.to_bytes(stride, "big")
        elif filt in (3, 4):
            c = bytearray(line)
            for i in range(stride):
                a = c[i - bpp] if i >= bpp else 0
                b = prev[i]
                if filt == 3:
                    c[i] = (c[i] + ((a + b) >> 1)) & 255
                else:
                    cc = prev[i - bpp] if i >= bpp else 0
                    p = a + b - cc
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - cc)
                    c[i] = (c[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else cc)) & 255
            cur = bytes(c)
        else:
            raise ValueError("bad filter %d in row %d" % (filt, y))
        rows.append(cur)
        prev = cur
    return width, height, ctype, bpp, plte, rows


def stats(path):
    """(width, height, distinct colours, ink share)."""
    width, height, ctype, bpp, plte, rows = decode(path)
    counts = {}
    for row in rows:
        for i in range(0, len(row), bpp):
            px = row[i:i + bpp]
            counts[px] = counts.get(px, 0) + 1
    if ctype == 3 and plte:  # palette indexes -> colours
        merged = {}
        for px, n in counts.items():
            rgb = plte[3 * px[0]:3 * px[0] + 3]
            merged[rgb] = merged.get(rgb, 0) + n
        counts = merged
    total = width * height
    background = max(counts.values()) if counts else 0
    return width, height, len(counts), (total - background) / total if total else 0.0


def main():
    ap = argparse.ArgumentParser(description="Check that a PNG is a real picture, not a blank one.")
    ap.add_argument("file")
    ap.add_argument("--min-colours", type=int, default=0)
    ap.add_argument("--min-ink", type=float, default=0.0, help="least share of pixels not the background")
    ap.add_argument("--min-width", type=int, default=0)
    ap.add_argument("--min-height", type=int, default=0)
    args = ap.parse_args()
    try:
        width, height, colours, ink = stats(args.file)
    except (OSError, ValueError, zlib.error) as e:
        print("%s: %s" % (args.file, e))
        return 2
    print("%s: %dx%d, %d colours, %.3f ink" % (args.file, width, height, colours, ink))
    problems = []
    if colours < args.min_colours:
        problems.append("%d colours < %d" % (colours, args.min_colours))
    if ink < args.min_ink:
        problems.append("ink %.4f < %.4f" % (ink, args.min_ink))
    if width < args.min_width or height < args.min_height:
        problems.append("%dx%d smaller than %dx%d" % (width, height, args.min_width, args.min_height))
    if problems:
        print("%s: looks blank: %s" % (args.file, "; ".join(problems)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
