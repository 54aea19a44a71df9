"""QR codes drawn as inline SVG: no image request, no outside service, nothing for the CSP to allow."""

import qrcode
from qrcode.image.svg import SvgPathFillImage
from django.utils.safestring import SafeString, mark_safe

QR_LABEL = "Image to scan with your authenticator app"  # "code" is kept for the code box's label


def qr_svg(text: str) -> SafeString:
    """`text` as a QR code: one SVG path on a white square, so phones can read it on any background."""
    image = qrcode.make(text, image_factory=SvgPathFillImage, border=4)
    svg = image.to_string(encoding="unicode")
    # qrcode writes only numbers and fixed attributes into the SVG, never `text` itself.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{QR_LABEL}" focusable="false" ', 1))
