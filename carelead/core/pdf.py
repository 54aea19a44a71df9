"""Printing records as PDF (WeasyPrint, with the system's Pango): what every printed record shares.

The document is laid out on the page its stylesheet sets (A4 here) and nothing is fetched: any URL in
the HTML or the CSS is refused, so a printed record can never call out or read a file.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Printing:
    """Who printed the record and when: shown in the footer of every page."""

    by: str
    on: date


def html_to_pdf(html: str, *, stylesheet: str, what: str) -> bytes:
    """Lay out `html` with the CSS text `stylesheet`; `what` names the document in a refused fetch."""
    from weasyprint import CSS, HTML  # imported here: loading Pango is slow and only printing needs it
    from weasyprint.urls import URLFetcher

    class NothingFetched(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"The {what} PDF fetches nothing ({url[:40]})")

    fetcher = NothingFetched()
    return HTML(string=html, base_url="/", url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=stylesheet, url_fetcher=fetcher)])
