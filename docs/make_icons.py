"""Draw the addons' icons (``<addon>/static/description/icon.png``): flat shapes on a coloured tile, no font.

Own work, generated: ``python docs/make_icons.py`` writes them again. Each icon says what its addon does:
a supplier invoice going into the books (invoice_import), two arrows of a two-way sync (account_sync),
the sync arrows on Xero's and QuickBooks' colours, and a tool on a sheet for job costs (account_sync_job).
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256  # drawn large, saved at 128 px: smooth edges without anti-aliasing support in ImageDraw
ROOT = Path(__file__).resolve().parent.parent
WHITE = (255, 255, 255, 255)


def tile(colour):
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=48, fill=colour)
    return image


def sheet(draw, box, fold=34, lines=3):
    left, top, right, bottom = box
    draw.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)], fill=WHITE)
    draw.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=(210, 210, 210, 255))
    for i in range(lines):
        y = top + 50 + i * 26
        draw.rounded_rectangle((left + 18, y, right - 22 - (i % 2) * 24, y + 10), radius=5, fill=(190, 190, 190, 255))


def arrow(draw, start, end, width, colour):
    """A thick straight arrow from ``start`` to ``end`` (horizontal only)."""
    (x1, y), (x2, _y) = start, end
    direction = 1 if x2 > x1 else -1
    head = 30 * direction
    draw.rectangle((min(x1, x2 - head), y - width // 2, max(x1, x2 - head), y + width // 2), fill=colour)
    draw.polygon([(x2, y), (x2 - head, y - 28), (x2 - head, y + 28)], fill=colour)


def sync_arrows(draw, colour=WHITE):
    arrow(draw, (62, 100), (196, 100), 22, colour)
    arrow(draw, (194, 158), (60, 158), 22, colour)


def invoice_import():
    image = tile((0x71, 0x4B, 0x67, 255))  # Odoo's purple
    draw = ImageDraw.Draw(image)
    sheet(draw, (44, 40, 164, 200))
    arrow(draw, (150, 176), (222, 176), 20, (0xF0, 0xB4, 0x3C, 255))
    return image


def account_sync(colour):
    image = tile(colour)
    sync_arrows(ImageDraw.Draw(image))
    return image


def account_sync_job():
    image = tile((0x01, 0x7E, 0x84, 255))
    draw = ImageDraw.Draw(image)
    sheet(draw, (40, 40, 160, 206), lines=2)
    # a tool: a ring and a handle
    draw.ellipse((150, 120, 218, 188), fill=(0xF0, 0xB4, 0x3C, 255))
    draw.ellipse((172, 142, 196, 166), fill=(0x01, 0x7E, 0x84, 255))
    draw.line((170, 170, 122, 218), fill=(0xF0, 0xB4, 0x3C, 255), width=22)
    return image


ICONS = {
    "invoice_import": invoice_import,
    "account_sync": lambda: account_sync((0x3C, 0x5A, 0x99, 255)),
    "account_sync_xero": lambda: account_sync((0x13, 0xB5, 0xEA, 255)),
    "account_sync_qbo": lambda: account_sync((0x2C, 0xA0, 0x1C, 255)),
    "account_sync_job": account_sync_job,
}


def main():
    for addon, draw in ICONS.items():
        if not (ROOT / addon / "__manifest__.py").exists():
            continue
        target = ROOT / addon / "static" / "description" / "icon.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        draw().resize((128, 128), Image.LANCZOS).save(target, optimize=True)
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
