"""Rendering reports for people: HTML pages per conversation (and PDF through headless Chromium).

The terminal view is `analyzer show`; these pages are what a coach opens
with an agent or files for compliance: self-contained, offline, printable.
"""

from __future__ import annotations

from analyzer.render.html import (
    RenderError,
    collect_reports,
    load_report,
    page_name,
    render_conversation,
    write_conversation_pages,
)
from analyzer.render.pdf import PdfError, find_chromium, html_to_pdf, pages_to_pdfs, require_chromium

__all__ = [
    "PdfError",
    "RenderError",
    "collect_reports",
    "find_chromium",
    "html_to_pdf",
    "load_report",
    "page_name",
    "pages_to_pdfs",
    "render_conversation",
    "require_chromium",
    "write_conversation_pages",
]
