"""Copy the NHS.UK frontend's built files from node_modules into carelead's static files.

No CDN: everything the pages load is served by carelead itself, so the CSP can stay at 'self'.
The stylesheet points at /assets/ and at NHS-hosted Frutiger fonts; the first is rewritten to
sit beside the stylesheet, the second dropped (Frutiger is licensed to NHS sites; the design
system falls back to Arial).
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
TARGET = ROOT / "carelead" / "static" / "vendor" / "nhsuk"
FONT_FACE = re.compile(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}")


def main() -> int:
    if not SOURCE.exists():
        print("nhsuk-frontend is not installed: run `npm ci` first", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    css = (SOURCE / "nhsuk-frontend.min.css").read_text()
    css = FONT_FACE.sub("", css).replace("url(/assets/", "url(assets/")
    (TARGET / "nhsuk-frontend.min.css").write_text(css)
    js = (SOURCE / "nhsuk-frontend.min.js").read_text()
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    (TARGET / "nhsuk-frontend.min.js").write_text(js)
    shutil.copytree(SOURCE / "assets", TARGET / "assets")
    print(f"NHS.UK frontend copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
