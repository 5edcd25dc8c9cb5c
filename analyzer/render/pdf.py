"""HTML page → PDF with headless Chromium, the same engine the pages are tested in.

Why Chromium and not a Python PDF library: the page already has print CSS,
and Chromium shapes Vietnamese diacritics, Cyrillic and CJK with the system's
Noto fonts exactly as on screen. It runs fully offline with a throw-away
profile (no sync, no updates, no background networking).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM_ENV = "ANALYZER_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for Chromium on a machine without network: without the background-networking ones it keeps
# trying to reach its services. The browser tests launch Chromium with the same list.
OFFLINE_FLAGS = ("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync")
FLAGS = ("--headless", *OFFLINE_FLAGS, "--no-pdf-header-footer")
TIMEOUT_S = 120


class PdfError(RuntimeError):
    """PDF output impossible: no Chromium, or Chromium failed."""


def find_chromium() -> str | None:
    """Chromium's path: $ANALYZER_CHROMIUM, else the first browser on PATH, else /usr/bin/chromium."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return override if Path(override).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def require_chromium() -> str:
    """Chromium's path, or a PdfError saying how to get it (checked before any page is written)."""
    chromium = find_chromium()
    if not chromium:
        raise PdfError("PDF output needs headless Chromium, which was not found: install it "
                       f"(scripts/install-system-deps.sh installs 'chromium') or set {CHROMIUM_ENV}=/path/to/chromium")
    return chromium


def html_to_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None) -> Path:
    """Print `html_path` to `pdf_path`; raises PdfError with what to do when it cannot."""
    chromium = chromium or require_chromium()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="analyzer-chromium-") as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path.resolve()}",
                   html_path.resolve().as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfError(f"Chromium could not print {html_path.name}: {error}") from error
    if result.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise PdfError(f"Chromium failed to print {html_path.name} (exit {result.returncode}): {detail[0]}")
    return pdf_path


def pages_to_pdfs(pages: Sequence[Path], chromium: str | None = None, workers: int = 4) -> list[Path]:
    """A PDF beside each page; Chromium processes run in parallel (each one takes a couple of seconds)."""
    chromium = chromium or require_chromium()
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(pages) or 1))) as pool:
        return list(pool.map(lambda page: html_to_pdf(page, page.with_suffix(".pdf"), chromium), pages))
