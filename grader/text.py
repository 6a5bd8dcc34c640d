"""Untrusted text made safe to show, in one place: every page, report, export and CLI line uses it.

Anything a submission can influence (printed output, exception messages, file names, zip member
names, student ids) may carry terminal escapes, control characters, bidi overrides or invisible
characters, or be huge. ``clean`` removes escapes and controls, makes bidi and zero-width characters
visible as ``<U+XXXX>`` and caps the size; ``failure_lines`` pulls the judge's verdict out of a pytest
report; ``plain_words`` turns the judge's class names into words a student understands.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences (colours, cursor moves)
                     r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC sequences (titles, hyperlinks)
                     r"|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # other escapes, C0 (but \t \n) and C1
BIDI_AND_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
NUMBER = re.compile(r"(<U\+[0-9A-F]{4,6}>)|[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.IGNORECASE)

# The judge's exception names as a student reads them (check output, student pages).
PLAIN_WORDS = {
    "grader.judge.proxy.StudentError: ": "your code raised ",
    "grader.judge.proxy.StudentTimeout: ": "",
    "grader.judge.proxy.WorkerCrashed: ": "your program stopped: ",
    "grader.judge.proxy.HandleMisuse: ": "",
    "AssertionError: ": "",
    "Failed: ": "",
}


# One word for one result status, on every page and CLI line (grader/commands/grade.py says the same).
STATUS_WORDS = {"graded": "graded", "rejected": "rejected at intake", "error": "not graded (grader failure)",
                "missing": "missing"}


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def clean(value: Any, limit: int = 4096) -> str:
    """Plain text safe for a terminal or a page: no escapes or control characters (tab and newline
    kept), bidi and zero-width characters made visible as ``<U+XXXX>``, capped at ``limit`` UTF-8 bytes."""
    text = "" if value is None else str(value)
    text = CONTROL.sub("", text)
    text = BIDI_AND_INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    raw = text.encode("utf-8", errors="replace")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore") + f"\n… {len(raw) - limit} bytes omitted"


def failure_lines(details: str) -> list[str]:
    """The verdict in a pytest failure report: the first block of lines pytest marks with ``E``
    (e.g. "… max abs error 0.25 at index (1, 2) …"), else the last non-empty line."""
    lines = details.splitlines()
    block: list[str] = []
    for line in lines:
        if line.startswith("E ") or line == "E":
            block.append(line[1:].strip())
        elif block:
            break
    if block:
        return [b for b in block if b]
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return [last] if last else []


def judge_message(details: str) -> str:
    """``failure_lines`` as one text."""
    return "\n".join(failure_lines(details))


def plain_words(line: str) -> str:
    """A failure line with the judge's exception class names replaced by words."""
    for prefix, replacement in PLAIN_WORDS.items():
        if line.startswith(prefix):
            return replacement + line[len(prefix):]
    return line


INTERNAL_NAME = re.compile(r"\bgrader(?:\.[A-Za-z_]\w*)+\.([A-Z]\w*)(:\s*)?")
# (before a message, alone) for the judge's own classes; any other class keeps its bare name
INTERNAL_WORDS = {"StudentError": ("your code raised ", "an exception in your code"),
                  "StudentTimeout": ("", "time limit exceeded"),
                  "WorkerCrashed": ("your program stopped: ", "your program stopped"),
                  "HandleMisuse": ("", "misuse of an object from your code"), "Mismatch": ("", "wrong result")}


def _internal(match: re.Match[str]) -> str:
    name, colon = match.group(1), bool(match.group(2))
    if name in INTERNAL_WORDS:
        return INTERNAL_WORDS[name][0 if colon else 1]
    return f"{name}: " if colon else name


BARE_INTERNAL = re.compile(r"(?<=: )(StudentError|StudentTimeout|WorkerCrashed|HandleMisuse)$", re.MULTILINE)


def plain_text(text: str) -> str:
    """``plain_words`` on every line, and any other ``grader.…`` class name anywhere in the text replaced the
    same way (an unknown one by its bare name), also the bare name pytest ends a traceback line with
    (``proxy.py:229: WorkerCrashed``), so no internal name reaches a page."""
    text = INTERNAL_NAME.sub(_internal, "\n".join(plain_words(line) for line in text.split("\n")))
    return BARE_INTERNAL.sub(lambda m: INTERNAL_WORDS[m.group(1)][1], text)


def message_pattern(message: str) -> str:
    """A message with its numbers blanked, so failures that differ only in values group together."""
    first = clean(message, 600).splitlines()[0] if message.strip() else ""
    return NUMBER.sub(lambda m: m.group(1) or "#", first)[:240]
