"""Cell formatting shared by the CSV exports."""

from __future__ import annotations


def number(value: float) -> str:
    return f"{round(value, 4):g}"


def csv_cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection: a leading = + - @ tab or CR)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
