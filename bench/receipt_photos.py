#!/usr/bin/env python3
"""Phone photos of the corpus receipts, simulated: what held-out receipts look like when a tradesperson sends them.

    python3 bench/receipt_photos.py SEED OUT_DIR [--corpus DIR]

The SROIE receipts of ``../shared/corpus/receipts`` are flat scans; real
receipts arrive photographed on a table.  ``photograph(image, seed)`` turns
one scan into such a photo, every choice drawn from the seed so a run can be
repeated and compared:

- the receipt lies on a darker, textured surface that shows around it
  (sometimes barely: a photo filling the frame);
- seen at an angle (each corner moved by up to 5% of the receipt's size:
  perspective) and turned a few degrees in the frame;
- by a phone that lost its EXIF turn: a quarter of the photos are sideways
  (90 or 270 degrees) and one in ten upside down;
- under uneven light (a gradient across the frame, darker corners, a soft
  shadow band), slightly out of focus, with sensor noise, saved as JPEG at
  quality 60 to 88.

``bench/receipt_accuracy.py --photos SEED`` reads these photos instead of
the scans, through the product's own path, and scores them against the same
truth.  No photo is written to the corpus; this script writes them to a
folder only to look at them.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "receipts"
# (degrees counter-clockwise, weight): what a phone without its EXIF turn sends
QUARTER_TURNS = ((0, 0.65), (90, 0.125), (270, 0.125), (180, 0.1))
MAX_TILT_DEGREES = 6.0
MAX_CORNER_SHIFT = 0.05  # share of the receipt's width and height each corner moves: the camera's angle
JPEG_QUALITY = (60, 88)
PHONE_LONG_SIDE = 4032  # a 12 Mpx phone camera: the receipt's long side is at most 85% of the frame's


def photo_seed(name: str, seed: int) -> int:
    """Each receipt's own seed: the same file and run seed always give the same photo."""
    return zlib.crc32(name.encode()) + seed


def photo_turn(seed: int) -> int:
    """The quarter turn (degrees counter-clockwise) of the photo made with ``seed``: drawn on its own."""
    rng = random.Random(seed * 7919 + 1)
    return rng.choices([t for t, _w in QUARTER_TURNS], weights=[w for _t, w in QUARTER_TURNS])[0]


def photograph(image: Image.Image, seed: int) -> bytes:
    """A JPEG of ``image`` (a flat receipt scan) as a phone photo taken on a table (see the module docstring)."""
    rng = random.Random(seed)
    generator = np.random.default_rng(seed)
    receipt = image.convert("RGB")
    scale = rng.uniform(0.9, 1.4)  # a phone's resolution on the receipt, against the scanner's
    scale = min(scale, 0.85 * PHONE_LONG_SIDE / max(receipt.size))  # some scans are 8,000 pixels tall
    receipt = receipt.resize((round(receipt.width * scale), round(receipt.height * scale)), Image.Resampling.LANCZOS)
    quad = _seen_at_an_angle(receipt.size, rng)
    margin = rng.choice((0.03, 0.05, 0.08, 0.12)) * max(receipt.size)
    left, top = quad.min(axis=0) - margin
    quad -= (left, top)
    width, height = (np.ceil(quad.max(axis=0) + margin)).astype(int)
    photo = _table((int(width), int(height)), rng, generator)
    coefficients = _perspective_coefficients(quad, receipt.size)
    sheet = receipt.convert("RGBA").transform(
        photo.size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC, fillcolor=(0, 0, 0, 0)
    )
    photo.paste(sheet, (0, 0), sheet)
    photo.thumbnail((PHONE_LONG_SIDE, PHONE_LONG_SIDE), Image.Resampling.LANCZOS)
    width, height = photo.size
    photo = _uneven_light(photo, rng)
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.3) * scale))
    pixels = np.asarray(photo, dtype=np.float32) + generator.normal(0.0, rng.uniform(3.0, 8.0), (height, width, 1))
    photo = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    turn = photo_turn(seed)
    if turn:
        photo = photo.rotate(turn, expand=True)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=rng.randint(*JPEG_QUALITY))
    return out.getvalue()


def _seen_at_an_angle(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """The receipt's four corners in the photo (top-left, top-right, bottom-right, bottom-left): shifted, tilted."""
    width, height = size
    corners = np.array([(0, 0), (width, 0), (width, height), (0, height)], dtype=np.float64)
    shifts = np.array([[rng.uniform(-1, 1) * width, rng.uniform(-1, 1) * height] for _ in range(4)])
    corners += MAX_CORNER_SHIFT * shifts
    angle = np.deg2rad(rng.uniform(-MAX_TILT_DEGREES, MAX_TILT_DEGREES))
    centre = corners.mean(axis=0)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return (corners - centre) @ turn.T + centre


def _perspective_coefficients(quad: np.ndarray, size: tuple[int, int]) -> list[float]:
    """PIL's coefficients mapping each photo point of ``quad`` back to its corner of the receipt."""
    width, height = size
    source = [(0, 0), (width, 0), (width, height), (0, height)]
    rows, values = [], []
    for (x, y), (u, v) in zip(quad, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows), np.array(values, dtype=np.float64))]


def _table(size: tuple[int, int], rng: random.Random, generator: np.random.Generator) -> Image.Image:
    """A darker surface with a coarse texture (wood, a desk, a car seat)."""
    base = np.array([rng.uniform(60, 130), rng.uniform(50, 115), rng.uniform(35, 100)])
    coarse = generator.normal(0.0, 14.0, (max(2, size[1] // 40), max(2, size[0] // 40), 1))
    texture = np.asarray(
        Image.fromarray((coarse[:, :, 0] + 128).clip(0, 255).astype(np.uint8), "L").resize(size, Image.BILINEAR),
        dtype=np.float64,
    )
    pixels = base[None, None, :] + (texture[:, :, None] - 128)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def _uneven_light(photo: Image.Image, rng: random.Random) -> Image.Image:
    """A light gradient across the frame, darker corners and, in half the photos, a soft shadow band."""
    width, height = photo.size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    xs, ys = xs / width - 0.5, ys / height - 0.5
    direction = rng.uniform(0, 2 * np.pi)
    along = xs * np.cos(direction) + ys * np.sin(direction)  # -0.7 .. 0.7
    light = 1.0 - rng.uniform(0.1, 0.35) * (along + 0.7) / 1.4
    light -= rng.uniform(0.05, 0.2) * (xs**2 + ys**2) * 2
    if rng.random() < 0.5:
        position, spread = rng.uniform(-0.4, 0.4), rng.uniform(0.05, 0.15)
        across = xs * np.sin(direction) - ys * np.cos(direction)
        light -= rng.uniform(0.15, 0.3) / (1 + np.exp(-(across - position) / spread * 4))
    pixels = np.asarray(photo, dtype=np.float64) * light.clip(0.3, 1.0)[:, :, None]
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(args.corpus.glob("*.jpg")):
        with Image.open(path) as image:
            data = photograph(image, photo_seed(path.name, args.seed))
        (args.out / path.name).write_bytes(data)
        count += 1
    print(f"{count} photos in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
