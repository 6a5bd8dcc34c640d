"""The similarity pages in a real browser: reached from the staff dashboard, the side-by-side view
renders with its marks under the CSP; no student page links to them.

``GRADER_SCREENSHOTS=docs/screenshots pytest tests/test_similarity_browser.py`` refreshes
docs/screenshots/similarity.png.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_browser import Watched, browser, shots  # noqa: F401 - the browser and screenshot fixtures

from grader.commands.similarity import run_similarity
from grader.intake import sha256_of
from grader.results import Result
from grader.results_tree import collect
from grader.site.build import build_site
from grader.site.pages import ReviewContext, index_page
from grader.site.views import Release

DATA = Path(__file__).parent / "similarity_data" / "w06-iou"
CLASS = {"alice": "independent/ana.py", "bob": "copies/ana__combo.py", "carol": "independent/chen.py",
         "dave": "independent/ben.py", "erin": "independent/dara.ipynb"}


@pytest.fixture(scope="module")
def similarity_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("similarity")
    sources, results = base / "graded", base / "results"
    sources.mkdir()
    for student, relative in CLASS.items():
        stored = sources / f"{student}{Path(relative).suffix}"
        shutil.copyfile(DATA / relative, stored)
        Result("w06-iou", "IoU and NMS", stored.name, sha256_of(stored), 1, 7.0, 11.0, "graded",
               student=student).write(results / "w06-iou" / student / "results.json")
    summary = run_similarity("w06-iou", results, sources=sources)
    assert summary.out == results / "similarity" / "w06-iou" and summary.above == 1
    site = base / "site"
    build_site(results, site)
    return results, site


def test_side_by_side_is_reached_from_the_dashboard_and_renders(browser: Any, similarity_site: tuple[Path, Path],  # noqa: F811
                                                                shots: Path) -> None:  # noqa: F811
    _, site = similarity_site
    w = Watched(browser)
    page = w.page
    page.goto((site / "index.html").as_uri())
    page.click("#similarity a")
    assert page.url.endswith("similarity/w06-iou/index.html")
    assert page.locator("#pairs tbody tr").count() == 1
    page.click("#pairs tbody tr:first-child td:nth-child(2) a")
    assert page.url.endswith("pair-001.html")
    assert page.locator("#left mark.match").count() >= 1 and page.locator("#right mark.match").count() >= 1
    heights = page.eval_on_selector_all("mark.match", "marks => marks.map(m => m.getBoundingClientRect().height)")
    assert sum(h > 0 for h in heights) >= 2  # drawn, not just present
    boxes = [page.locator(side).bounding_box() for side in ("#left", "#right")]
    assert boxes[0] and boxes[1] and boxes[0]["x"] < boxes[1]["x"]  # side by side
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 5
    page.screenshot(path=str(shots / "similarity.png"), full_page=False)
    assert w.errors == [] and w.dialogs == []
    w.close()


def test_no_student_page_and_no_review_page_links_to_similarity(similarity_site: tuple[Path, Path]) -> None:
    results, site = similarity_site
    student_pages = list((site / "student").rglob("*.html"))
    assert len(student_pages) == 2 * len(CLASS)
    for page in student_pages:
        assert "similarity" not in page.read_text().lower(), page
    assert 'href="similarity/w06-iou/index.html"' in (site / "index.html").read_text()
    review = index_page(collect(results), Release.BEFORE_DUE, ReviewContext("token", "ta"))
    assert "similarity/" not in review  # the review app does not serve these pages
