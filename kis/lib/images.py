"""Pictures the application draws itself."""

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

# Four marks in a row with their names, like the logo strip a funding programme requires.
STRIP_MARKS = [
    ("#003399", "Fundusze Europejskie"),
    ("#dc143c", "Rzeczpospolita Polska"),
    ("#1f4e79", "Województwo"),
    ("#003399", "Unia Europejska"),
]


def stand_in_logo_strip() -> bytes:
    """A PNG in place of a programme's logo strip, for the demo (the real one comes from
    the managing authority and is uploaded in admin)."""
    image = Image.new("RGB", (1600, 200), "white")
    draw = ImageDraw.Draw(image)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 34)
    except OSError:
        font = ImageFont.load_default()
    for index, (colour, name) in enumerate(STRIP_MARKS):
        left = 20 + index * 400
        draw.rectangle((left, 40, left + 110, 160), fill=colour)
        draw.text((left + 125, 80), name.replace(" ", "\n", 1), fill="black", font=font)
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
