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
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from grader.results import Result

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences (colours, cursor moves)
                     r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC sequences (titles, hyperlinks)
                     r"|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_AND_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
NUMBER = re.compile(r"(<U\+[0-9A-F]{4,6}>)|[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.IGNORECASE)


def clean(value: Any, limit: int = 4096) -> str:
    """Plain text safe to show: no terminal escapes, no control characters, bidi and zero-width
    characters made visible as ``<U+XXXX>``, capped at ``limit`` UTF-8 bytes."""
    text = "" if value is None else str(value)
    text = CONTROL.sub("", text)
    text = BIDI_AND_INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    raw = text.encode("utf-8", errors="replace")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore") + f"\n… {len(raw) - limit} bytes omitted"


def judge_message(details: str) -> str:
    """The assertion line(s) pytest marks with ``E`` (e.g. "… max abs error 0.25 at index (1, 2) …")."""
    lines = details.splitlines()
    block: list[str] = []
    for line in lines:
        if line.startswith("E ") or line == "E":
            block.append(line[1:].strip())
        elif block:
            break
    if block:
        return "\n".join(b for b in block if b)
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def message_pattern(message: str) -> str:
    """A message with its numbers blanked, so failures that differ only in values group together."""
    first = clean(message, 600).splitlines()[0] if message.strip() else ""
    return NUMBER.sub(lambda m: m.group(1) or "#", first)[:240]


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
    env.globals["assets"] = assets(templates)
    return env


def render(template: str, **context: Any) -> str:
    """Render a page; ``csp`` defaults to the no-script, no-form policy."""
    context["csp"] = Markup(context.get("csp", CSP))  # ours, no quotes: kept readable in the page
    context.setdefault("root", "")
    context.setdefault("nav", True)
    return environment().get_template(template).render(**context)


def render_report(result: Result, ta_view: bool = True, templates: Path = TEMPLATES) -> str:
    """The standalone per-submission page that ``grader grade`` writes next to results.json."""
    from grader.site.views import Release, submission_view

    view = submission_view(result, result.student or "", ta=ta_view, release=Release.BEFORE_DUE)
    return environment(templates).get_template("report.html").render(
        view=view, csp=Markup(CSP), root="", nav=False, review=None)


def write_report(result: Result, path: Path, ta_view: bool = True) -> None:
    write_text(path, render_report(result, ta_view))


def write_text(path: Path, text: str) -> None:
    """Write atomically, so a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
