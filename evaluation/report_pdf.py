"""The program report as a PDF: the report page as it prints (its template and print CSS), laid out by WeasyPrint.

WeasyPrint loads Pango from the system when it is imported, so it is imported here, on demand: a machine without
Pango still serves every other page, and the PDF answers that it is unavailable (PdfUnavailable)."""

from django.contrib.staticfiles import finders

STYLESHEET = "css/app.css"
# WeasyPrint lays grids out only partly (a grid broken across pages fails): in the PDF the report's two columns are
# one, the table under its chart. (Its SVG reads no page CSS: the bar chart's template spells its look out.)
PDF_ONLY = """
.report-figures, .charts, .report-sections, .report-period-words { display: block; }
.report-chart { margin-bottom: 0.75rem; }
"""


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system's Pango is missing on this server."""


def pdf_render(html: str) -> bytes:
    """`html`, a page of ours, as a PDF in its print layout. The stylesheet is read from the static files; nothing
    else is fetched (no image, font or link of the page reaches the network or the disk)."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: Pango's shared library not found
        raise PdfUnavailable(str(error)) from error

    class NothingFetched(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError("The report's PDF fetches nothing.")

    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=NothingFetched())
    return HTML(string=html, url_fetcher=NothingFetched()).write_pdf(stylesheets=[stylesheet, CSS(string=PDF_ONLY)])
