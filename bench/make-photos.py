#!/usr/bin/env python3
"""Generate deterministic test photos (or hostile non-photos) for the benchmarks and the chaos run.

Good photos: JPEGs of coloured shapes on a plain, grainy background (the grain makes the file
about as large as a real photo of that size), a quarter of them with EXIF orientation 6, 3 or 8.
Bad files (--bad): corrupt, truncated, text named .jpg, empty, and other hostile ones; three of
the kinds (valid JPEGs with a hostile or a Latin-1 name, a PNG named .jpg) are images a daemon should handle,
and the manifest marks them "good".
The same seed always gives the same bytes. A manifest.json lists every file and what it is.

Needs Pillow and numpy (bench/baseline/requirements.txt installs both).
"""

import argparse
import io
import json
import os
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw

# Saturated colours far from the backgrounds and from each other.
SHAPE_COLOURS = [
    (220, 30, 30), (30, 160, 40), (30, 60, 220), (240, 200, 20),
    (150, 40, 190), (20, 190, 200), (250, 120, 20), (230, 60, 160),
]
BACKGROUNDS = [(245, 245, 240), (40, 40, 45), (200, 205, 210), (120, 120, 125)]
ORIENTATIONS = [6, 3, 8]
EXIF_ORIENTATION_TAG = 274


def photo(rng: np.random.Generator, width: int, height: int, grain: float) -> Image.Image:
    """One picture: 2-6 separated shapes on a background with Gaussian grain."""
    background = BACKGROUNDS[rng.integers(len(BACKGROUNDS))]
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    count = int(rng.integers(2, 7))
    columns = 3
    rows = 2
    cells = rng.permutation(columns * rows)[:count]
    cell_w, cell_h = width // columns, height // rows
    for index, cell in enumerate(cells):
        left = (cell % columns) * cell_w
        top = (cell // columns) * cell_h
        # Keep a margin inside the cell so shapes never touch each other or the border.
        w = int(cell_w * rng.uniform(0.35, 0.75))
        h = int(cell_h * rng.uniform(0.35, 0.75))
        x0 = left + int(rng.integers(cell_w // 10, cell_w - w - cell_w // 10 + 1))
        y0 = top + int(rng.integers(cell_h // 10, cell_h - h - cell_h // 10 + 1))
        colour = SHAPE_COLOURS[(index + int(rng.integers(len(SHAPE_COLOURS)))) % len(SHAPE_COLOURS)]
        box = [x0, y0, x0 + w, y0 + h]
        shape = int(rng.integers(3))
        if shape == 0:
            draw.rectangle(box, fill=colour)
        elif shape == 1:
            draw.ellipse(box, fill=colour)
        else:
            draw.polygon([(x0 + w // 2, y0), (x0 + w, y0 + h), (x0, y0 + h)], fill=colour)
    if grain > 0:
        # Grain at half resolution, scaled up: photo-like file sizes without slow full-size noise.
        small = rng.normal(0.0, grain, size=((height + 1) // 2, (width + 1) // 2, 3)).astype(np.int16)
        noise = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)[:height, :width]
        pixels = np.asarray(image, dtype=np.int16) + noise
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    return image


def write_good(folder: str, count: int, width: int, height: int, seed: int, quality: int, grain: float) -> list:
    entries = []
    for i in range(count):
        rng = np.random.default_rng([seed, i])
        image = photo(rng, width, height, grain)
        name = f"photo-{seed}-{i:04d}.jpg"
        exif = Image.Exif()
        orientation = 1
        if i % 4 == 1:
            orientation = ORIENTATIONS[(i // 4) % len(ORIENTATIONS)]
            exif[EXIF_ORIENTATION_TAG] = orientation
        path = os.path.join(folder, name)
        image.save(path, "JPEG", quality=quality, exif=exif.tobytes())
        entries.append({"name": name, "kind": "good", "expect": "ok", "orientation": orientation,
                        "width": width, "height": height, "bytes": os.path.getsize(path)})
    return entries


def small_jpeg(rng: np.random.Generator) -> bytes:
    buffer = io.BytesIO()
    photo(rng, 640, 480, 6.0).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height grey pixels (a decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (len(body).to_bytes(4, "big") + kind + body
                + zlib.crc32(kind + body).to_bytes(4, "big"))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * width
    data = b"".join(compressor.compress(row) for _ in range(min(height, 64))) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int, base: bytes) -> bytes:
    """`base` with its SOF0 frame size rewritten to width x height (the pixel data stays small)."""
    data = bytearray(base)
    at = data.find(b"\xff\xc0")
    if at < 0:
        return bytes(data)
    data[at + 5:at + 7] = height.to_bytes(2, "big")
    data[at + 7:at + 9] = width.to_bytes(2, "big")
    return bytes(data)


def write_bad(folder: str, count: int, seed: int) -> list:
    """`count` hostile files cycling through every kind below."""
    kinds = [
        ("empty", "zero bytes"),
        ("truncated", "a JPEG cut off after 40% of its bytes"),
        ("corrupt", "a JPEG whose scan data is overwritten with random bytes"),
        ("text", "plain text named .jpg"),
        ("random", "random bytes named .jpg"),
        ("header-only", "a JPEG start-of-image marker and nothing else"),
        ("html", "an HTML page named .jpeg"),
        ("png-bomb", "a 4 kB PNG claiming 60000 x 60000 pixels"),
        ("jpeg-huge-claim", "a small JPEG whose frame header claims 65000 x 65000 pixels"),
        ("zero-size", "a JPEG whose frame header claims 0 x 0 pixels"),
        ("wrong-extension", "a valid PNG named .jpg"),
        ("dangling-symlink", "a symbolic link named .jpg pointing nowhere"),
        ("directory", "a directory named .jpg"),
        ("odd-name", "a valid JPEG whose name has spaces, quotes, a newline and non-ASCII letters"),
        ("latin1-name", "a valid JPEG whose name is Latin-1, not UTF-8 (bytes E9 and F6)"),
    ]
    entries = []
    for i in range(count):
        kind, description = kinds[i % len(kinds)]
        rng = np.random.default_rng([seed, 1_000_000 + i])
        name = f"bad-{seed}-{i:04d}-{kind}.jpg"
        path = os.path.join(folder, name)
        data = None
        if kind == "empty":
            data = b""
        elif kind == "truncated":
            full = small_jpeg(rng)
            data = full[: len(full) * 2 // 5]
        elif kind == "corrupt":
            full = bytearray(small_jpeg(rng))
            start = full.find(b"\xff\xda") + 20
            full[start:len(full) - 2] = rng.integers(0, 256, len(full) - 2 - start, dtype=np.uint8).tobytes()
            data = bytes(full)
        elif kind == "text":
            data = b"This is not a photo. It is a note somebody saved with the wrong name.\n" * 20
        elif kind == "random":
            data = rng.integers(0, 256, 50_000, dtype=np.uint8).tobytes()
        elif kind == "header-only":
            data = b"\xff\xd8"
        elif kind == "html":
            name = name[:-4] + ".jpeg"
            path = os.path.join(folder, name)
            data = b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>\n"
        elif kind == "png-bomb":
            data = png_bomb(60_000, 60_000)
        elif kind == "jpeg-huge-claim":
            data = jpeg_claiming(65_000, 65_000, small_jpeg(rng))
        elif kind == "zero-size":
            data = jpeg_claiming(0, 0, small_jpeg(rng))
        elif kind == "wrong-extension":
            buffer = io.BytesIO()
            photo(rng, 640, 480, 0).save(buffer, "PNG")
            data = buffer.getvalue()
        elif kind == "dangling-symlink":
            os.symlink(os.path.join(folder, f"missing-{seed}-{i}"), path)
        elif kind == "directory":
            os.mkdir(path)
        elif kind == "odd-name":
            name = f"bad-{seed}-{i:04d} odd \"name\" 'quoted'\nline ñandú 写真.jpg"
            path = os.path.join(folder, name)
            data = small_jpeg(rng)
        elif kind == "latin1-name":
            # Names are bytes: Python carries the two that are not UTF-8 as surrogate escapes.
            name = os.fsdecode(f"bad-{seed}-{i:04d}-caf".encode() + b"\xe9-f\xf6to.jpg")
            path = os.path.join(folder, name)
            data = small_jpeg(rng)
        if data is not None:
            with open(path, "wb") as handle:
                handle.write(data)
        # A valid image with an odd name or a lying extension is good: every prompt should succeed.
        good = kind in ("odd-name", "latin1-name", "wrong-extension")
        # What a careful daemon does with it: every prompt ok, a sidecar with an error, or (for things
        # that are not regular files) either an error sidecar or nothing at all.
        expect = "ok" if good else ("error-or-ignored" if kind in ("dangling-symlink", "directory") else "error")
        entries.append({"name": name, "kind": "good" if good else "bad", "expect": expect,
                        "reason": kind, "description": description})
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="where to write the files (created if missing)")
    parser.add_argument("-n", "--count", type=int, default=10, help="how many files (default 10)")
    parser.add_argument("--size", default="4000x3000", help="WIDTHxHEIGHT of good photos (default 4000x3000, 12 MP)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--quality", type=int, default=90, help="JPEG quality (default 90)")
    parser.add_argument("--grain", type=float, default=9.0, help="grain standard deviation, 0 for flat colours (default 9: about 3.4 MB at 12 MP)")
    parser.add_argument("--bad", action="store_true", help="write hostile non-photos instead of photos")
    args = parser.parse_args()
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 4000x3000, not {args.size!r}")
    if not (16 <= width <= 20000 and 16 <= height <= 20000):
        parser.error("--size sides must be between 16 and 20000 pixels")
    if args.count < 0 or args.count > 100_000:
        parser.error("--count must be between 0 and 100000")
    os.makedirs(args.folder, exist_ok=True)
    if args.bad:
        entries = write_bad(args.folder, args.count, args.seed)
    else:
        entries = write_good(args.folder, args.count, width, height, args.seed, args.quality, args.grain)
    manifest = os.path.join(args.folder, "manifest.json")
    previous = []
    if os.path.exists(manifest):
        with open(manifest) as handle:
            previous = [e for e in json.load(handle) if e["name"] not in {n["name"] for n in entries}]
    with open(manifest, "w") as handle:
        json.dump(previous + entries, handle, indent=1)  # ASCII: a Latin-1 name is a surrogate escape
    total = sum(e.get("bytes", 0) for e in entries)
    print(f"wrote {len(entries)} {'hostile' if args.bad else 'good'} files to {args.folder}"
          + (f" ({total / len(entries) / 1e6:.2f} MB each on average)" if total else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
