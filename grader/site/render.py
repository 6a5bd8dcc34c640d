"""HTML pages from Jinja templates. Everything a submission produced is untrusted text:
autoescaped, stripped of control and bidi characters, and truncated with "… N bytes omitted".

Pages carry a Content-Security-Policy with ``default-src 'none'``: no script runs on a page that shows
student-derived text, and nothing is fetched from anywhere. The one stylesheet (and, on the dashboard
index only, the one sort/filter script) is inlined and allowed by its SHA-256 hash, so the site works
offline from ``file://`` as well as from the review app.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from grader.files import write_text
from grader.kept import read_kept
from grader.resources import templates_dir
from grader.results import Result
from grader.site.views import Release, attach_code, submission_view
from grader.text import clean, judge_message, plain_text, status_words

TEMPLATES = templates_dir()
def points(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 4):g}"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@dataclass(frozen=True)
class Assets:
    """The inlined stylesheet and dashboard script, with the CSP source expressions that allow them."""

    css: Markup
    script: Markup
    css_hash: str
    script_hash: str


@lru_cache(maxsize=1)
def assets(templates: Path = TEMPLATES) -> Assets:
    css = (templates / "static" / "site.css").read_text(encoding="utf-8")
    script = (templates / "static" / "dashboard.js").read_text(encoding="utf-8")
    if "</" in css or "</" in script:
        raise ValueError("inlined assets must not contain '</'")
    return Assets(Markup(css), Markup(script), _sha256(css), _sha256(script))


def csp(*, script: bool = False, forms: bool = False, header: bool = False) -> str:
    """The policy for one page: no script unless it is the dashboard's own (by hash); forms only in the
    review app; ``frame-ancestors`` only as an HTTP header (browsers ignore it in a meta tag)."""
    a = assets()
    policy = ["default-src 'none'", "img-src data:", f"style-src {a.css_hash}",
              f"script-src {a.script_hash}" if script else "script-src 'none'",
              "form-action 'self'" if forms else "form-action 'none'", "base-uri 'none'"]
    if header:
        policy.append("frame-ancestors 'none'")
    return "; ".join(policy)


CSP = csp()


@lru_cache(maxsize=4)
def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["clean"] = clean
    env.filters["points"] = points
    env.filters["judge_message"] = judge_message
    env.filters["plain"] = plain_text
    env.filters["status_words"] = status_words
    env.globals["assets"] = assets(templates)
    return env


def render(template: str, **context: Any) -> str:
    """Render a page; ``csp`` defaults to the no-script, no-form policy."""
    context["csp"] = Markup(context.get("csp", CSP))  # ours, no quotes: kept readable in the page
    context.setdefault("root", "")
    context.setdefault("nav", True)
    return environment().get_template(template).render(**context)


def render_report(result: Result, ta_view: bool = True, templates: Path = TEMPLATES, folder: Path | None = None
                  ) -> str:
    """The standalone per-submission page that ``grader grade`` writes next to results.json; a TA page
    shows the code kept in ``folder/submission`` (grader/kept.py) when it belongs to this result."""
    view = submission_view(result, result.student or "", ta=ta_view, release=Release.BEFORE_DUE)
    if ta_view and folder is not None:
        attach_code(view, read_kept(folder, result.sha256))
    return environment(templates).get_template("report.html").render(
        view=view, csp=Markup(CSP), root="", nav=False, review=None)


def write_report(result: Result, path: Path, ta_view: bool = True) -> None:
    write_text(path, render_report(result, ta_view, folder=path.parent))
