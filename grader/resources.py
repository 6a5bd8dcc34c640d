"""Files the package ships besides Python code, found the same way in a checkout and in a wheel.

In the repository the page templates live in the top-level ``templates/`` folder; a wheel carries them
as the package data ``grader/templates/`` (pyproject.toml maps one onto the other). The pytest
configuration of the judge is ``grader/judge/pytest.ini`` in both.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def templates_dir() -> Path:
    """The folder of Jinja templates and static assets."""
    packaged = Path(str(resources.files("grader") / "templates"))
    if packaged.is_dir():  # an installed wheel
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"  # a checkout (also an editable install)


def judge_ini() -> Path:
    """The pytest.ini the judge runs hidden tests with."""
    return Path(str(resources.files("grader.judge") / "pytest.ini"))
