"""HTML reports from Jinja templates. Everything a submission produced is untrusted text:
autoescaped, stripped of control and bidi characters, and truncated with "… N bytes omitted"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from grader.results import Result

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_AND_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'"


def clean(value: Any, limit: int = 4096) -> str:
    """Plain text safe to show: no terminal escapes, no control or bidi characters, capped."""
    text = "" if value is None else str(value)
    text = CONTROL.sub("", text)
    text = BIDI_AND_INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    raw = text.encode("utf-8", errors="replace")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore") + f"\n… {len(raw) - limit} bytes omitted"


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["clean"] = clean
    return env


def render_report(result: Result, ta_view: bool = True, templates: Path = TEMPLATES) -> str:
    return environment(templates).get_template("report.html").render(result=result, ta=ta_view, csp=CSP)


def write_report(result: Result, path: Path, ta_view: bool = True) -> None:
    partial = path.with_suffix(".html.partial")
    partial.write_text(render_report(result, ta_view), encoding="utf-8")
    partial.replace(path)
