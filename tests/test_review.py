"""The TA review app over real HTTP: overrides, re-grading, refusals, and concurrent edits by two TAs."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sitedata import make_result, write, write_class

from grader.overrides import OverrideLog
from grader.results_tree import collect
from grader.review.server import ReviewServer, make_server


@pytest.fixture
def results(tmp_path: Path) -> Path:
    write_class(tmp_path, students=6)
    return tmp_path


def start(root: Path, ta: str = "alice") -> ReviewServer:
    server = make_server(root, ta=ta, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def server(results: Path) -> Iterator[ReviewServer]:
    server = start(results)
    yield server
    server.shutdown()
    server.server_close()


def request(server: ReviewServer, method: str, path: str, form: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    body = urlencode(form) if form is not None else None
    sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    connection.close()
    return response.status, text, dict(response.getheaders())


def form_of(server: ReviewServer, exercise: str, student: str) -> dict[str, str]:
    """The hidden fields of the override form, as a TA's browser would send them."""
    status, page, _ = request(server, "GET", f"/ta/{exercise}/{student}.html")
    assert status == 200
    form = page.split('id="override-form"')[1].split("</form>")[0]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def override(server: ReviewServer, exercise: str, student: str, test: str, points: float, by: str = "alice",
             fields: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    form = {**(fields or form_of(server, exercise, student)), "test": test, "points": str(points),
            "reason": f"regrade request from {student}", "by": by}
    return request(server, "POST", "/override", form)


def test_override_saves_shows_old_and_new_and_reaches_the_gradebook(server: ReviewServer, results: Path) -> None:
    before = collect(results).submissions[("w06-box-formats", "s001")]
    test = next(t for t in before.result.tests if t.status == "failed")
    status, _, headers = override(server, "w06-box-formats", "s001", test.name, test.max_score)
    assert status == 303 and headers["Location"].startswith("/ta/w06-box-formats/s001.html?saved=")
    status, page, headers = request(server, "GET", headers["Location"])
    assert status == 200 and "Saved:" in page and f"overridden 0 → {test.max_score:g}" in page
    assert "script-src 'none'" in headers["Content-Security-Policy"] and "frame-ancestors 'none'" in headers[
        "Content-Security-Policy"]
    assert "regrade request from s001" in page and "alice" in page
    record = OverrideLog.at(results).read()[0][0]
    assert (record.by, record.test, record.points, record.previous) == ("alice", test.name, test.max_score, 0.0)
    found = collect(results)
    sub = found.submissions[("w06-box-formats", "s001")]
    assert found.problems == [] and sub.score == before.result.score + test.max_score
    status, csv_text, headers = request(server, "GET", "/export/gradebook.csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    header, _, *lines = csv_text.splitlines()
    column = header.split(",").index("w06-box-formats")
    s001 = next(line.split(",") for line in lines if line.startswith("s001,"))
    assert float(s001[column]) == sub.score


def test_override_survives_regrading(server: ReviewServer, results: Path) -> None:
    status, _, _ = override(server, "w01-toy", "s005", "", 4.5)  # the whole submission
    assert status == 303
    regraded = make_result("w01-toy", "s005", [True, False, False, False, False], graded_at="2026-12-01T00:00:00+00:00")
    write(regraded, results, "s005")  # a re-grade rewrites results.json
    status, page, _ = request(server, "GET", "/ta/w01-toy/s005.html")
    assert status == 200 and 'id="overridden">overridden: 1 → 4.5' in page
    assert "4.5 / 5" in page
    index = request(server, "GET", "/index.html")[1]
    assert 'data-sort="4.5"' in index


def test_refusals_bad_token_foreign_host_cross_origin_unknown_test_missing_reason(server: ReviewServer) -> None:
    fields = form_of(server, "w01-toy", "s001")
    assert override(server, "w01-toy", "s001", "test_add", 1, fields={**fields, "csrf": "guess"})[0] == 403
    assert request(server, "GET", "/index.html", headers={"Host": "attacker.example:80"})[0] == 421
    cross = {**fields, "test": "test_add", "points": "1", "reason": "r", "by": "x"}
    assert request(server, "POST", "/override", cross, headers={"Origin": "http://attacker.example"})[0] == 403
    status, page, _ = override(server, "w01-toy", "s001", "test_unknown", 1, fields=fields)
    assert status == 400 and "Unknown test" in page
    no_reason = {**fields, "test": "test_add", "points": "1", "reason": "  ", "by": "x"}
    status, page, _ = request(server, "POST", "/override", no_reason)
    assert status == 400 and "a reason is required" in page
    assert override(server, "w01-toy", "s001", "test_add", 7, fields=fields)[0] == 400  # above the test's maximum
    assert OverrideLog.at(server.app.root).read() == ([], [])


def test_two_tas_on_two_servers_never_lose_an_edit(results: Path) -> None:
    """Two TAs, each with their own server on the shared results, save 2 × 12 overrides at once."""
    servers = [start(results, "alice"), start(results, "bob")]
    targets = [(e, s, t.name) for (e, s), sub in sorted(collect(results).submissions.items())
               for t in sub.result.tests][:24]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def ta(index: int) -> None:
        mine = targets[index::2]
        forms = [form_of(servers[index], e, s) for e, s, _ in mine]
        barrier.wait()
        for (e, s, name), fields in zip(mine, forms, strict=True):
            statuses.append(override(servers[index], e, s, name, 0.5, by=["alice", "bob"][index], fields=fields)[0])

    try:
        threads = [threading.Thread(target=ta, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert statuses == [303] * 24
        records, problems = OverrideLog.at(results).read()
        assert problems == [] and len(records) == 24
        assert {(r.exercise, r.student, r.test) for r in records} == set(targets)
        adjusted = collect(results).submissions
        assert all(adjusted[(e, s)].adjusted.tests[name].score == 0.5 for e, s, name in targets)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_same_test_edited_by_two_tas_at_once_one_saves_the_other_is_told(server: ReviewServer,
                                                                         results: Path) -> None:
    fields = form_of(server, "w01-toy", "s002")  # both TAs loaded the page before either saved
    outcomes: list[tuple[int, str]] = []
    barrier = threading.Barrier(2)

    def save(by: str, points: float) -> None:
        barrier.wait()
        status, page, _ = override(server, "w01-toy", "s002", "test_add", points, by=by, fields=fields)
        outcomes.append((status, page))

    threads = [threading.Thread(target=save, args=a) for a in (("alice", 0.25), ("bob", 0.75))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(status for status, _ in outcomes) == [303, 409]
    conflict = next(page for status, page in outcomes if status == 409)
    assert "Not saved: test_add was changed meanwhile by" in conflict
    records, _ = OverrideLog.at(results).read()
    assert len(records) == 1  # the winner's; the other TA saw why theirs was not saved
    # a comment never conflicts, and a fresh form saves
    comment = {**form_of(server, "w01-toy", "s002"), "test": "", "reason": "talked to the student", "by": "bob"}
    assert request(server, "POST", "/comment", comment)[0] == 303
    assert override(server, "w01-toy", "s002", "test_add", 1.0, by="bob")[0] == 303
    assert len(OverrideLog.at(results).read()[0]) == 3


def test_grader_review_command_serves_on_loopback_only(results: Path) -> None:
    import subprocess
    import sys
    import urllib.request

    repo = Path(__file__).parent.parent
    process = subprocess.Popen([sys.executable, "-m", "cli", "review", str(results), "--port", "0", "--ta", "tom"],
                               cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line + process.stderr.read() if process.poll() is not None else line
        with urllib.request.urlopen(url.group(0) + "index.html", timeout=30) as response:
            assert response.status == 200 and "Class dashboard" in response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_gradebook_kept_in_the_results_tree_is_rebuilt_after_an_override(server: ReviewServer,
                                                                          results: Path) -> None:
    from grader.exports.gradebook import write_derived

    found = collect(results)
    students = found.students[:3]
    path = write_derived(found, ["w06-box-formats"], students)
    before = collect(results).submissions[("w06-box-formats", "s001")]
    test = next(t for t in before.result.tests if t.status == "failed")
    assert f"s001,,{before.result.score:g}," in path.read_text()
    status, _, _ = override(server, "w06-box-formats", "s001", test.name, test.max_score)
    assert status == 303
    header, points, *lines = path.read_text().splitlines()
    assert header == "student,name,w06-box-formats,late_penalty,total,missing" and len(lines) == len(students)
    assert f"s001,,{before.result.score + test.max_score:g}," in path.read_text()
