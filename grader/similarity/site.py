"""The one hook into the static site: `grader similarity EX RESULTS --sources INBOX` writes its pages to
RESULTS/similarity/EX/; `grader report RESULTS` copies that folder into the site and the staff
dashboard links to it. Student pages never link to it."""

from __future__ import annotations

import shutil
from pathlib import Path

FOLDER = "similarity"


def similarity_links(results: Path) -> list[tuple[str, str]]:
    """(exercise, site-relative href) for each exercise with similarity pages in the results tree."""
    base = results / FOLDER
    if not base.is_dir() or base.is_symlink():
        return []
    return [(page.parent.name, f"{FOLDER}/{page.parent.name}/index.html")
            for page in sorted(base.glob("*/index.html")) if not page.parent.is_symlink()]


def copy_similarity(results: Path, site: Path) -> None:
    """Copy RESULTS/similarity (html and csv files only, no links) into the site being built."""
    for exercise, _ in similarity_links(results):
        source = results / FOLDER / exercise
        target = site / FOLDER / exercise
        target.mkdir(parents=True, exist_ok=True)
        for item in source.iterdir():
            if item.is_file() and not item.is_symlink() and item.suffix in (".html", ".csv"):
                shutil.copyfile(item, target / item.name)
