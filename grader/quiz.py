"""Checkpoint quizzes: answers in a TOML file, compared with a key. Nothing a student writes runs."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.results import TestResult
from grader.spec import ExerciseSpec, SpecError

QUESTION_TYPES = ("numeric", "choice", "text")


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    points: float
    prompt: str
    choices: dict[str, str]


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"{path}: {exc}") from None


def load_questions(spec: ExerciseSpec) -> list[Question]:
    path = spec.exercise_dir / "quiz.toml"
    questions = []
    for index, raw in enumerate(_toml(path).get("question", [])):
        where = f"{path}: question {index + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise SpecError(f"{where}: needs an 'id'")
        if raw.get("type") not in QUESTION_TYPES:
            raise SpecError(f"{where}: 'type' must be one of {QUESTION_TYPES}")
        points = raw.get("points", 1)
        if isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
            raise SpecError(f"{where}: 'points' must be a positive number")
        questions.append(Question(raw["id"], raw["type"], float(points), str(raw.get("prompt", "")),
                                  {str(k): str(v) for k, v in dict(raw.get("choices", {})).items()}))
    if not questions:
        raise SpecError(f"{path}: no [[question]] entries")
    return questions


def load_key(spec: ExerciseSpec, questions: list[Question]) -> dict[str, dict[str, Any]]:
    path = spec.hidden_tests_dir / "key.toml"
    key = _toml(path)
    for question in questions:
        if question.id not in key or "answer" not in key[question.id]:
            raise SpecError(f"{path}: no answer for question '{question.id}'")
    return key


def normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


def _parse_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


def is_correct(question: Question, answer: Any, entry: dict[str, Any]) -> bool:
    expected = entry["answer"]
    if question.type == "numeric":
        got = _parse_number(answer)
        if got is None or not math.isfinite(got):
            return False
        tolerance = entry.get("tolerance")
        targets = expected if isinstance(expected, list) else [expected]
        for target in targets:
            if tolerance is None:
                if math.isclose(got, float(target), rel_tol=1e-6, abs_tol=1e-9):
                    return True
            elif abs(got - float(target)) <= float(tolerance):
                return True
        return False
    if not isinstance(answer, str):
        return False
    accepted = expected if isinstance(expected, list) else [expected]
    if question.type == "choice":
        return answer.strip().casefold().rstrip(")") in {str(a).casefold() for a in accepted}
    return normalise_text(answer) in {normalise_text(str(a)) for a in accepted}


def grade_quiz(spec: ExerciseSpec, answers_file: Path | None, refusal: str | None) -> list[TestResult]:
    questions = load_questions(spec)
    key = load_key(spec, questions)
    answers: dict[str, Any] = {}
    problem = refusal
    if answers_file is not None and problem is None:
        try:
            answers = tomllib.loads(answers_file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problem = f"{spec.submission} is not valid TOML ({exc}); check quotes around text answers"
    results = []
    for question in questions:
        entry = key[question.id]
        answer = answers.get(question.id)
        correct = problem is None and answer not in (None, "") and is_correct(question, answer, entry)
        hint = entry.get("hint")
        if correct:
            output = "Correct."
        elif problem:
            output = f"Not graded: {problem}"
        elif answer in (None, ""):
            output = "No answer given."
        else:
            output = "Incorrect." + (f" Hint: {hint}" if hint else "")
        results.append(TestResult(
            name=question.id, score=question.points if correct else 0.0, max_score=question.points,
            status="passed" if correct else "failed", output=output, description=question.prompt[:200], hint=hint,
            details=f"answer: {answer!r}; accepted: {entry['answer']!r}"))
    return results
