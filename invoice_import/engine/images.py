"""Untrusted raster images in, clean black-on-white pages for OCR out.

Decoding is where an image attacks: a 30 KB PNG can declare 2.5 billion
pixels.  Pillow's ``Image.open`` only reads the header, so the pixel count
is checked there, for every frame of a multi-page TIFF, before any frame is
decoded.  Cleaning (grayscale, deskew, median denoise, Otsu binarisation)
is what lets tesseract read phone photos and crooked scans.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from .errors import ExtractionError
from .limits import Deadline, Limits

# The formats suppliers send; Pillow's other plugins (and their bugs) are never reached.
ACCEPTED_FORMATS = ("PNG", "JPEG", "TIFF", "GIF", "BMP", "WEBP")
MAX_SKEW_DEGREES = 5.0
_SKEW_SAMPLE_SIDE = 1000  # the skew search runs on a copy this large: 0.1 degree is still ~2 pixels
_OCR_MAX_DPI = 400  # finer scans are scaled down to 300 dpi: tesseract gains nothing and runs far slower
_OCR_TARGET_DPI = 300
# Longest side over shortest side.  A till receipt scanned at 200 dpi is about 1:20; a 1,000,000 x 1 "page" passes
# the pixel cap and makes the deskew ask for 94 GB.
MAX_ASPECT_RATIO = 50


def open_image_frames(data: bytes, limits: Limits, deadline: Deadline) -> Iterator[tuple[Image.Image, float | None]]:
    """Decode each frame (page) of an image file as (image, dpi or None), within the caps."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ExtractionError("image_too_large", f"the image has more pixels than allowed: {exc}") from exc
    except MemoryError:
        raise  # not the file's defect: the reader's memory limit (extract.py reports it)
    except Exception as exc:  # UnidentifiedImageError, or a header a plugin chokes on
        raise ExtractionError("corrupt_image", f"the image cannot be decoded: {exc}") from exc
    with image:
        frame_count = _frame_count(image)
        cap = min(limits.max_pages, limits.max_ocr_pages)
        if frame_count > cap:
            raise ExtractionError(
                "too_many_pages", f"the image has {frame_count} pages, over the cap of {cap} pages read by OCR"
            )
        for index in range(frame_count):
            deadline.check("decoding the image")
            yield _decoded_frame(image, index, limits)


def _frame_count(image: Image.Image) -> int:
    try:
        return getattr(image, "n_frames", 1)
    except MemoryError:
        raise  # not the file's defect: the reader's memory limit (extract.py reports it)
    except Exception as exc:  # a broken chain of TIFF directories
        raise ExtractionError("corrupt_image", f"the image pages cannot be listed: {exc}") from exc


def _decoded_frame(image: Image.Image, index: int, limits: Limits) -> tuple[Image.Image, float | None]:
    try:
        image.seek(index)
    except MemoryError:
        raise
    except Exception as exc:
        raise ExtractionError("corrupt_image", f"page {index + 1} of the image cannot be read: {exc}") from exc
    check_size(image.size, limits.max_pixels, f"page {index + 1} of the image")
    try:
        frame = ImageOps.exif_transpose(image.copy())  # copy() decodes; phone photos carry their rotation in EXIF
    except MemoryError:
        raise  # not the file's defect: the reader's memory limit (extract.py reports it)
    except Exception as exc:  # zlib, struct, truncation, broken chunks: Pillow raises all sorts
        raise ExtractionError("corrupt_image", f"the image cannot be decoded: {exc}") from exc
    dpi = image.info.get("dpi")
    return frame, float(dpi[0]) if dpi and dpi[0] else None


def check_size(size: tuple[int, int], max_pixels: int, what: str = "the image") -> None:
    """Refuse a size over the pixel cap or of an absurd shape (``image_too_large``), before anything is allocated."""
    width, height = size
    if width * height > max_pixels:
        raise ExtractionError(
            "image_too_large", f"{what} is {width} x {height} = {width * height} pixels, over the cap of {max_pixels}"
        )
    if max(width, height) > MAX_ASPECT_RATIO * max(min(width, height), 1):
        raise ExtractionError(
            "image_too_large",
            f"{what} is {width} x {height} pixels, a shape no document has (sides over {MAX_ASPECT_RATIO}:1)",
        )


def prepare_for_ocr(
    image: Image.Image, dpi: float | None, max_pixels: int | None = None
) -> tuple[Image.Image, float | None]:
    """Scale an over-fine scan down to 300 dpi, then clean it; returns the page and its dpi."""
    max_pixels = max_pixels or Limits().max_pixels
    check_size(image.size, max_pixels, "the page")
    if dpi and dpi > _OCR_MAX_DPI:
        factor = _OCR_TARGET_DPI / dpi
        image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))))
        dpi = _OCR_TARGET_DPI
    return clean_page(image, threshold=False, max_pixels=max_pixels), dpi


def rotated_size(size: tuple[int, int], degrees: float) -> tuple[int, int]:
    """The size ``Image.rotate(degrees, expand=True)`` gives a page of ``size``, computed without rotating."""
    width, height = size
    radians = np.deg2rad(degrees)
    cos, sin = abs(np.cos(radians)), abs(np.sin(radians))
    return int(np.ceil(width * cos + height * sin)), int(np.ceil(width * sin + height * cos))


def clean_page(image: Image.Image, threshold: bool = True, max_pixels: int | None = None) -> Image.Image:
    """Grayscale, straighten, denoise and (``threshold``) binarise a page: dark text on white, mode "L".

    The OCR path keeps the gray levels: tesseract thresholds the page itself
    to find its layout, but its LSTM recogniser reads the gray image, and thin
    light-gray print that a global threshold breaks into pieces is still
    whole in gray.
    """
    max_pixels = max_pixels or Limits().max_pixels
    check_size(image.size, max_pixels, "the page")
    gray = to_grayscale(image)
    angle = estimate_skew(gray)
    if abs(angle) >= 0.2:
        turned = rotated_size(gray.size, angle)
        if turned[0] * turned[1] <= max_pixels:  # else read the page crooked: a larger one is not allowed
            gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    check_size(gray.size, max_pixels, "the straightened page")
    gray = gray.filter(ImageFilter.MedianFilter(3))
    return binarise(gray) if threshold else gray


def to_grayscale(image: Image.Image) -> Image.Image:
    """8-bit gray; transparency becomes white paper, 16-bit scans are scaled rather than clipped."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float64)
        peak = values.max() or 1.0
        return Image.fromarray((values * (255.0 / peak)).clip(0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    return image.convert("L")


def estimate_skew(gray: Image.Image, max_degrees: float = MAX_SKEW_DEGREES) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines horizontal.

    Projection-profile search: text lines rotated level give the sharpest
    row-by-row ink profile.  Coarse 0.5 degree steps, then 0.1 around the best.
    """
    sample = gray.copy()
    sample.thumbnail((_SKEW_SAMPLE_SIDE, _SKEW_SAMPLE_SIDE))
    ink = sample.point(_threshold_table(otsu_threshold(sample), ink_value=255))
    if np.asarray(ink).mean() < 0.5:  # under 0.2 % ink: a blank page has no lines to level
        return 0.0

    def sharpness(angle: float) -> float:
        profile = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float64).sum(axis=1)
        return float(np.square(np.diff(profile)).sum())

    coarse = np.arange(-max_degrees, max_degrees + 0.01, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    return round(float(max(fine, key=sharpness)), 1)


def otsu_threshold(gray: Image.Image) -> int:
    """The gray level that best separates ink from paper (Otsu: maximal between-class variance)."""
    counts = np.asarray(gray.histogram()[:256], dtype=np.float64)
    levels = np.arange(256, dtype=np.float64)
    total = counts.sum()
    weight_dark = np.cumsum(counts)
    weight_light = total - weight_dark
    cumulative_mass = np.cumsum(counts * levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_dark = cumulative_mass / weight_dark
        mean_light = (cumulative_mass[-1] - cumulative_mass) / weight_light
        between = weight_dark * weight_light * np.square(mean_dark - mean_light)
    between = np.nan_to_num(between)
    return int(np.argmax(between)) if between.any() else 127


def binarise(gray: Image.Image) -> Image.Image:
    return gray.point(_threshold_table(otsu_threshold(gray), ink_value=0))


def _threshold_table(threshold: int, ink_value: int) -> list[int]:
    paper_value = 255 - ink_value
    return [ink_value] * (threshold + 1) + [paper_value] * (255 - threshold)
