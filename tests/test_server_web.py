"""The course server's browser side over HTTP (Starlette's TestClient on the real app, SQLite in tmp_path,
real grading in the local sandbox): sign-in with a token, sessions, CSRF / Origin / Host refusals, the
failed-login limit, a student's own pages only, TA review with overrides reaching the student, instructor
releases and exports.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import COURSE, REFERENCE_TOY
from starlette.testclient import TestClient
from workflow_helpers import make_course

from grader.commands.serve import open_server
from grader.mutants import Mutant
from grader.server.accounts import FailedLogins, issue_tokens
from grader.server.app import make_app
from grader.server.sessions import COOKIE
from grader.server.web import Web

MUTANT = Mutant("toy.py", COURSE / "reference" / "w01-toy" / "mutants" / "subtracts.patch",
                COURSE / "reference" / "w01-toy" / "toy.py").text()
HIDDEN_NAME = "test_scale"
ORIGIN = {"Origin": "http://testserver"}


@dataclass
class Site:
    app: object
    tokens: dict[str, str]
    data: Path

    def client(self, address: str = "testclient") -> TestClient:
        return TestClient(self.app, client=(address, 50000), follow_redirects=False)  # type: ignore[arg-type]


def hide_one_test(course: Path) -> None:
    hidden = course / "hidden_tests" / "w01-toy" / "test_toy.py"
    text = hidden.read_text()
    at = text.index(f"def {HIDDEN_NAME}")
    decorator = text.rindex("@points(1)", 0, at)
    hidden.write_text(text[:decorator] + '@points(1, visibility="hidden")' + text[decorator + len("@points(1)"):])


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    course = make_course(tmp_path / "course")
    hide_one_test(course)
    monkeypatch.setenv("GRADER_COURSE", str(course))
    server = open_server(course, str(tmp_path / "server.sqlite"), tmp_path / "server-data", "local")
    issued = issue_tokens(server.sessions, server.secret, ["alice", "bob", "carol"],
                          [("ta1", "ta"), ("prof", "instructor")])
    app = make_app(server, 1, web=Web({"testserver"}))
    with TestClient(app):  # the lifespan: the worker pool runs while the test does
        yield Site(app, {user: token for user, _, token in issued}, server.data)


def csrf_of(page: str, form_id: str | None = None) -> str:
    if form_id is not None:
        page = page.split(f'id="{form_id}"', 1)[1]
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def sign_in(client: TestClient, token: str) -> TestClient:
    form = client.get("/login")
    assert form.status_code == 200
    answer = client.post("/login", data={"csrf": csrf_of(form.text), "token": token}, headers=ORIGIN)
    assert answer.status_code == 303, answer.text
    return client


def wait_graded(client: TestClient, submission_id: int, counted: Path, timeout: float = 180) -> None:
    """Until the page says graded and the counted result (written just after) is in RESULTS."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get("/my/index.html").text
        row = page.split(f'data-id="{submission_id}"', 1)[1].split("</tr>", 1)[0]
        if ("graded" in row and counted.exists()) or "ungradable" in row:
            return
        time.sleep(0.5)
    raise AssertionError(f"submission {submission_id} not graded")


def upload(client: TestClient, content: str, name: str = "toy.py", exercise: str = "w01-toy",
           csrf: str | None = None) -> tuple[int, str]:
    token = csrf if csrf is not None else csrf_of(client.get("/my/index.html").text, "upload-form")
    answer = client.post("/my/submit", data={"csrf": token, "exercise": exercise},
                         files={"file": (name, content.encode(), "text/x-python")}, headers=ORIGIN)
    if answer.status_code == 303:  # Post/Redirect/Get: the page after an upload is a plain GET
        return 303, client.get(answer.headers["location"]).text
    return answer.status_code, answer.text


def test_sign_in_sets_a_strict_httponly_cookie_and_the_token_is_never_echoed(site: Site) -> None:
    client = site.client()
    assert client.get("/my/index.html").headers["location"] == "/login"
    form = client.get("/login")
    assert form.headers["content-security-policy"].startswith("default-src 'none'")
    assert "frame-ancestors 'none'" in form.headers["content-security-policy"]
    assert 'method="post" action="/login"' in form.text and 'type="password"' in form.text
    wrong = client.post("/login", data={"csrf": csrf_of(form.text), "token": "not-a-token-xyz"}, headers=ORIGIN)
    assert wrong.status_code == 401 and "Unknown token" in wrong.text and "not-a-token-xyz" not in wrong.text
    form = client.get("/login")
    answer = client.post("/login", data={"csrf": csrf_of(form.text), "token": site.tokens["alice"]}, headers=ORIGIN)
    assert answer.status_code == 303
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(COOKIE + "="))
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags and "secure" not in flags
    assert site.tokens["alice"] not in cookie
    home = client.get("/my/index.html")
    assert home.status_code == 200 and "signed in as alice (student)" in home.text
    assert site.tokens["alice"] not in home.text
    # a token in the URL signs nobody in
    stranger = site.client()
    assert stranger.get(f"/login?token={site.tokens['bob']}").status_code == 200
    assert stranger.get("/my/index.html").status_code == 303
    # logging out ends the session, also for a copy of the old cookie
    old = client.cookies.get(COOKIE)
    logout = client.get("/logout")
    assert client.post("/logout", data={"csrf": csrf_of(logout.text)}, headers=ORIGIN).status_code == 303
    replay = site.client()
    replay.cookies.set(COOKIE, old or "")
    assert replay.get("/my/index.html").headers["location"] == "/login"


def test_a_forged_or_tampered_cookie_is_no_session(site: Site) -> None:
    client = sign_in(site.client(), site.tokens["alice"])
    value = client.cookies.get(COOKIE) or ""
    payload, mac = value.split(".")
    import base64

    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode().replace("alice", "bob")
    forged = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=") + "." + mac
    for cookie in (forged, value + "x", "", "a.b", value.replace(".", "")):
        other = site.client()
        other.cookies.set(COOKIE, cookie)
        assert other.get("/my/index.html").status_code == 303, cookie


def test_forms_without_csrf_or_from_a_foreign_origin_or_host_are_refused(site: Site) -> None:
    student = sign_in(site.client(), site.tokens["carol"])
    ta = sign_in(site.client(), site.tokens["ta1"])
    prof = sign_in(site.client(), site.tokens["prof"])
    good = {student: csrf_of(student.get("/my/index.html").text),
            ta: csrf_of(ta.get("/logout").text), prof: csrf_of(prof.get("/instructor/index.html").text)}
    posts = [(student, "/my/submit", {"exercise": "w01-toy"}), (student, "/logout", {}),
             (ta, "/review/override", {"exercise": "w01-toy", "student": "carol", "test": "test_add",
                                       "points": "1", "reason": "r"}),
             (ta, "/review/comment", {"exercise": "w01-toy", "student": "carol", "reason": "r"}),
             (prof, "/instructor/release", {"assignment": "t1"}),
             (prof, "/instructor/regrade", {"exercise": "w01-toy"}), (prof, "/instructor/regrade/1/release", {})]
    for client, path, form in posts:
        missing = client.post(path, data=form, headers=ORIGIN)
        assert missing.status_code == 403 and "does not come from this session" in missing.text, path
        forged = client.post(path, data={**form, "csrf": "forged"}, headers=ORIGIN)
        assert forged.status_code == 403, path
        for origin in ("http://attacker.example", "null", "http://testserver.attacker.example"):
            cross = client.post(path, data={**form, "csrf": good[client]}, headers={"Origin": origin})
            assert cross.status_code == 403 and "Cross-origin" in cross.text, (path, origin)
        host = client.post(path, data={**form, "csrf": good[client]},
                           headers={**ORIGIN, "Host": "attacker.example"})
        assert host.status_code == 421, path
        assert client.get("/", headers={"Host": "attacker.example"}).status_code == 421
    # a valid session and token of the wrong role: refused before anything is read
    for path, form in (("/review/override", {"exercise": "w01-toy", "student": "carol", "test": "test_add",
                                             "points": "1", "reason": "r"}),
                       ("/review/comment", {"exercise": "w01-toy", "student": "carol", "reason": "r"}),
                       ("/instructor/release", {"assignment": "t1"}), ("/instructor/regrade", {"exercise": "w01-toy"})):
        answer = student.post(path, data={**form, "csrf": good[student]}, headers=ORIGIN)
        assert answer.status_code == 403 and "not for your account" in answer.text, path
    assert ta.post("/instructor/release", data={"assignment": "t1", "csrf": good[ta]},
                   headers=ORIGIN).status_code == 403
    assert ta.post("/my/submit", data={"exercise": "w01-toy", "csrf": good[ta]}, headers=ORIGIN).status_code == 403
    raw = student.post(f"/my/submit?exercise=w01-toy&name=toy.py&csrf={good[student]}", content=REFERENCE_TOY,
                       headers={**ORIGIN, "Content-Type": "text/x-python"})  # the API's raw-body form: not ours
    assert raw.status_code == 403
    multipart = student.post("/my/submit", data={"exercise": "w01-toy", "csrf": "forged"},
                             files={"file": ("toy.py", REFERENCE_TOY.encode(), "text/x-python")}, headers=ORIGIN)
    assert multipart.status_code == 403 and "does not come from this session" in multipart.text
    assert not (site.data / "released.json").exists()
    assert not (site.data / "results" / "overrides.jsonl").exists()
    assert not (site.data / "store").exists() and not (site.data / "regrades").exists()
    # the login form has its own token, bound to the cookie of the form it came from
    fresh = site.client()
    fresh.get("/login")
    answer = fresh.post("/login", data={"csrf": "forged", "token": site.tokens["alice"]}, headers=ORIGIN)
    assert answer.status_code == 403 and COOKIE not in answer.headers.get("set-cookie", "")
    other = site.client()
    stolen = csrf_of(other.get("/login").text)
    assert site.client().post("/login", data={"csrf": stolen, "token": site.tokens["alice"]},
                              headers=ORIGIN).status_code == 403  # no matching cookie


def test_failed_logins_are_limited_per_address_and_globally_with_a_retry_time(site: Site) -> None:
    site.app.state.limiter = FailedLogins(limit=3, window=60, global_limit=5)  # type: ignore[attr-defined]

    def attempt(address: str, token: str) -> tuple[int, str, str | None]:
        client = site.client(address)
        answer = client.post("/login", data={"csrf": csrf_of(client.get("/login").text), "token": token},
                             headers=ORIGIN)
        return answer.status_code, answer.text, answer.headers.get("retry-after")

    assert [attempt("10.0.0.1", f"guess-{i}")[0] for i in range(3)] == [401] * 3
    status, text, retry = attempt("10.0.0.1", site.tokens["alice"])  # even the right token waits now
    assert status == 429 and retry is not None and 0 < int(retry) <= 60
    assert f"Try again in {retry} s" in text and site.tokens["alice"] not in text
    assert attempt("10.0.0.2", "guess-a")[0] == 401
    assert attempt("10.0.0.3", "guess-b")[0] == 401  # five failures from all addresses together
    assert attempt("10.0.0.4", site.tokens["bob"])[0] == 429  # a fresh address is refused too
    api = site.client("10.0.0.9").get("/api/me", headers={"Authorization": f"Bearer {site.tokens['bob']}"})
    assert api.status_code == 429 and "try again in" in api.json()["error"] and api.headers["retry-after"]


def test_a_student_sees_only_their_own_pages_and_never_staff_text(site: Site) -> None:
    alice, bob = sign_in(site.client(), site.tokens["alice"]), sign_in(site.client(), site.tokens["bob"])
    status, page = upload(alice, MUTANT)
    assert status == 303 and "Submitted: #1" in page and "on time" in page
    again = alice.get("/my/index.html?sent=1").text  # reloading says it once, and submits nothing again
    assert "Submitted: #1" not in again and again.count("data-id=") == 1
    refused = upload(alice, "x = 1\n", name="toy.exe")
    assert refused[0] == 422 and "not &#39;toy.exe&#39;" in refused[1] and "data-id=\"2\"" not in refused[1]
    wait_graded(alice, 1, site.data / "results" / "w01-toy" / "alice" / "results.json")
    own = alice.get("/my/1.html")
    assert own.status_code == 200 and "student view" in own.text and "test_add" in own.text
    assert HIDDEN_NAME not in own.text and "Score: shown once grades are published" in own.text
    assert "form-action 'self'" in own.headers["content-security-policy"]
    for path in ("/my/1.html", "/my/2.html", "/my/0.html", "/my/-1.html", "/my/x.html", "/my/999999999999.html",
                 "/my/1%2F..%2F1.html"):
        answer = bob.get(path)
        assert answer.status_code == 404, path
        assert "alice" not in answer.text and "toy.py" not in answer.text
    listed = bob.get("/my/index.html").text
    assert "No submissions yet" in listed and "alice" not in listed
    for path in ("/review/index.html", "/review/ta/w01-toy/alice.html", "/review/export/gradebook.csv",
                 "/review/student/alice/index.html", "/instructor/index.html", "/instructor/export/gradebook",
                 "/instructor/regrade/1.html"):
        assert bob.get(path).status_code == 403, path
    ta = sign_in(site.client(), site.tokens["ta1"])
    assert ta.get("/instructor/index.html").status_code == 403
    assert ta.get("/my/index.html").status_code == 403
    # the TA overrides a test and leaves a staff note and a comment to the student
    page = ta.get("/review/ta/w01-toy/alice.html").text
    assert HIDDEN_NAME in page  # the TA view has everything
    token = csrf_of(page, "override-form")
    graded_tests = json.loads((site.data / "results" / "w01-toy" / "alice" / "results.json").read_text())["tests"]
    test, points = next((t["name"], t["max_score"]) for t in graded_tests
                        if t["status"] != "passed" and t["visibility"] == "visible")
    saved = ta.post("/review/override", data={"csrf": token, "exercise": "w01-toy", "student": "alice", "test": test,
                                              "points": str(points), "reason": "tolerance too tight", "seen": "0"},
                    headers=ORIGIN)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/review/ta/w01-toy/alice.html?saved=")
    for audience, text in (("staff", "STAFF ONLY: looks copied"), ("student", "Nice work on the edge cases")):
        note = ta.post("/review/comment", data={"csrf": token, "exercise": "w01-toy", "student": "alice", "test": "",
                                                "reason": text, "audience": audience}, headers=ORIGIN)
        assert note.status_code == 303, note.text
    records = (site.data / "results" / "overrides.jsonl").read_text()
    assert '"by": "ta1"' in records or '"by":"ta1"' in records  # the signed-in TA, whatever the form says
    prof = sign_in(site.client(), site.tokens["prof"])
    release = prof.post("/instructor/release", data={"csrf": csrf_of(prof.get("/instructor/index.html").text),
                                                     "exercise": "w01-toy"}, headers=ORIGIN)
    assert release.status_code == 303
    after = alice.get("/my/1.html").text
    assert "adjusted by course staff" in after and "Nice work on the edge cases" in after
    assert "STAFF ONLY" not in after and "tolerance too tight" not in after and HIDDEN_NAME not in after
    api = alice.get("/api/submissions/1/result", headers={"Authorization": f"Bearer {site.tokens['alice']}"}).json()
    graded = api["result"]
    assert api["submission"]["counted"] is True and graded["score_shown"] is True
    assert next(t for t in graded["tests"] if t["name"] == test)["score"] == points > 0
    assert graded["comments"] == ["Nice work on the edge cases"] and "STAFF ONLY" not in str(api)
    assert bob.get("/my/1.html").status_code == 404


def test_instructor_downloads_each_export_as_a_file(site: Site) -> None:
    alice = sign_in(site.client(), site.tokens["alice"])
    assert upload(alice, REFERENCE_TOY)[0] == 303
    wait_graded(alice, 1, site.data / "results" / "w01-toy" / "alice" / "results.json")
    prof = sign_in(site.client(), site.tokens["prof"])
    page = prof.get("/instructor/index.html").text
    for name in ("gradebook", "canvas", "gradescope"):
        assert f'href="/instructor/export/{name}"' in page
    book = prof.get("/instructor/export/gradebook")
    assert book.status_code == 200 and book.headers["content-type"].startswith("text/csv")
    assert book.headers["content-disposition"] == 'attachment; filename="gradebook.csv"' and "alice" in book.text
    canvas = prof.get("/instructor/export/canvas")
    assert canvas.status_code == 200 and 'filename="canvas.csv"' in canvas.headers["content-disposition"]
    scope = prof.get("/instructor/export/gradescope")
    assert scope.headers["content-type"] == "application/zip" and scope.content[:2] == b"PK"
    assert prof.get("/instructor/export/..%2Fetc").status_code == 404


def api_result(client: TestClient, token: str, submission_id: int) -> dict:
    answer = client.get(f"/api/submissions/{submission_id}/result", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def wait_regrade(prof: TestClient, batch: int, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = prof.get(f"/instructor/regrade/{batch}.html").text
        if "waiting" not in page and "grading</td>" not in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"re-grade {batch} did not finish: {page[-3000:]}")


def test_targeted_regrade_previews_old_to_new_and_changes_nothing_until_released(site: Site) -> None:
    alice, bob = sign_in(site.client(), site.tokens["alice"]), sign_in(site.client(), site.tokens["bob"])
    assert upload(alice, REFERENCE_TOY)[0] == 303
    assert upload(bob, REFERENCE_TOY)[0] == 303  # bob's first try, then his counted (latest on-time) one
    assert upload(bob, MUTANT)[0] == 303
    results = site.data / "results" / "w01-toy"
    wait_graded(alice, 1, results / "alice" / "results.json")
    wait_graded(bob, 3, results / "bob" / "results.json")
    deadline = time.monotonic() + 60
    while json.loads((results / "bob" / "results.json").read_text())["score"] != 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # bob's first (full marks) result is replaced by his counted one
    prof = sign_in(site.client(), site.tokens["prof"])
    token = csrf_of(prof.get("/instructor/index.html").text)
    assert prof.post("/instructor/release", data={"csrf": token, "exercise": "w01-toy"},
                     headers=ORIGIN).status_code == 303  # scores shown: what students see is comparable
    assert api_result(bob, site.tokens["bob"], 3)["result"]["score"] == 3  # add() subtracts: 2 tests fail
    assert api_result(bob, site.tokens["bob"], 2)["submission"]["counted"] is False

    # the course staff loosen a hidden test in the course the server grades with
    hidden = Path(site.app.state.server.root) / "hidden_tests" / "w01-toy" / "test_toy.py"  # type: ignore[attr-defined]
    hidden.write_text(hidden.read_text().replace("assert student.add(1, 2) == 3", "assert student.add(1, 0) == 1"))
    started = prof.post("/instructor/regrade", data={"csrf": token, "exercise": "w01-toy", "student": ""},
                        headers=ORIGIN)
    assert started.status_code == 303 and started.headers["location"] == "/instructor/regrade/1.html"
    server = site.app.state.server  # type: ignore[attr-defined]
    with server.sessions() as session:
        from sqlalchemy import select

        from grader.server.db import REGRADE, Job

        jobs = list(session.scalars(select(Job).where(Job.priority == REGRADE)))
    assert sorted(j.submission_id for j in jobs) == [1, 3]  # the counted ones only, at re-grade priority
    page = wait_regrade(prof, 1)
    rows = {s: re.sub(r"<[^>]+>", " ", page.split(f'data-student="{s}"', 1)[1].split("</tr>", 1)[0]).split()
            for s in ("alice", "bob")}
    assert rows["alice"][-4:] == ["5", "5", "0", "graded"], rows  # old, new, change, state
    assert rows["bob"][-4:] == ["3", "4", "+1", "graded"], rows
    assert 'data-student="carol"' not in page  # no submission, nothing to re-grade
    assert "Preview: students still see their old scores" in page
    # nothing changed for students yet
    assert api_result(bob, site.tokens["bob"], 3)["result"]["score"] == 3
    assert json.loads((results / "bob" / "results.json").read_text())["score"] == 3
    assert "3 / 5" in bob.get("/my/3.html").text
    released = prof.post("/instructor/regrade/1/release", data={"csrf": csrf_of(page, "release-form")},
                         headers=ORIGIN)
    assert released.status_code == 303
    assert "Released" in prof.get("/instructor/regrade/1.html").text
    assert api_result(bob, site.tokens["bob"], 3)["result"]["score"] == 4
    assert json.loads((results / "bob" / "results.json").read_text())["score"] == 4
    assert "4 / 5" in bob.get("/my/3.html").text
    book = prof.get("/instructor/export/gradebook").text
    assert re.search(r"^bob,[^\n]*,4(\.0)?,", book, re.MULTILINE), book
    # one student: only their counted submission; an unchanged course queues nothing new
    one = prof.post("/instructor/regrade", data={"csrf": token, "exercise": "w01-toy", "student": "alice"},
                    headers=ORIGIN)
    assert one.headers["location"] == "/instructor/regrade/2.html"
    again = wait_regrade(prof, 2)
    assert 'data-student="bob"' not in again and "unchanged key" in again
    bad = prof.post("/instructor/regrade", data={"csrf": token, "exercise": "w99-nope"}, headers=ORIGIN)
    assert bad.status_code == 400 and "no exercise" in bad.text


def test_the_counted_submission_not_the_latest_is_marked_and_shown(site: Site) -> None:
    """An on-time submission, then a late one: the on-time one counts (choose), and `grader results`
    shows it, marked, instead of the latest."""
    import datetime as dt

    from grader.commands.serve import result_lines, shown_rows

    alice = sign_in(site.client(), site.tokens["alice"])
    assert upload(alice, REFERENCE_TOY)[0] == 303
    course = Path(site.app.state.server.root) / "course.toml"  # type: ignore[attr-defined]
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    course.write_text(course.read_text().replace("due = 2099-01-01T00:00:00Z", f"due = {due}", 1))
    time.sleep(2)
    status, page = upload(alice, MUTANT)
    assert status == 303 and "late" in page, page
    wait_graded(alice, 2, site.data / "results" / "w01-toy" / "alice" / "results.json")
    auth = {"Authorization": f"Bearer {site.tokens['alice']}"}
    rows = alice.get("/api/submissions?exercise=w01-toy", headers=auth).json()["submissions"]
    assert [(r["id"], r["counted"]) for r in rows] == [(1, True), (2, False)]
    assert [r["id"] for r in shown_rows(rows)] == [1]
    lines = result_lines(api_result(alice, site.tokens["alice"], 1))
    assert "(counted" in lines[0]
    assert "(counted" not in result_lines(api_result(alice, site.tokens["alice"], 2))[0]
    listed = alice.get("/my/index.html").text
    assert "counts</span>" in listed.split('data-id="1"')[1].split("</tr>")[0]
    assert "counts</span>" not in listed.split('data-id="2"')[1].split("</tr>")[0]


def test_behind_an_https_public_url_the_cookie_is_secure_and_only_that_host_answers(site: Site) -> None:
    from grader.server.web import web_settings

    web = web_settings("127.0.0.1", 8000, "https://grader.example.edu")
    assert web.https and web.hosts == {"grader.example.edu", "127.0.0.1:8000", "localhost:8000"}
    assert web.origins == {"https://grader.example.edu", "http://127.0.0.1:8000", "http://localhost:8000"}
    site.app.state.web = web  # type: ignore[attr-defined]
    client = TestClient(site.app, base_url="https://grader.example.edu", follow_redirects=False)  # type: ignore[arg-type]
    form = client.get("/login")
    assert form.status_code == 200 and "secure" in form.headers["set-cookie"].lower()
    answer = client.post("/login", data={"csrf": csrf_of(form.text), "token": site.tokens["alice"]},
                         headers={"Origin": "https://grader.example.edu"})
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(COOKIE + "="))
    assert answer.status_code == 303 and "secure" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert client.get("/my/index.html").status_code == 200
    assert client.get("/my/index.html", headers={"Host": "testserver"}).status_code == 421
    token = csrf_of(client.get("/logout").text)
    plain = client.post("/logout", data={"csrf": token}, headers={"Origin": "http://grader.example.edu"})
    assert plain.status_code == 403 and "Cross-origin" in plain.text  # http:// of the same name: another origin
    assert client.post("/logout", data={"csrf": token}, headers={"Origin": "https://grader.example.edu"}
                       ).status_code == 303
    with pytest.raises(ValueError, match="--public-url"):
        web_settings("127.0.0.1", 8000, "grader.example.edu")


def test_the_upload_page_takes_from_the_same_submission_bucket_as_the_api(site: Site) -> None:
    course = Path(site.app.state.server.root) / "course.toml"  # type: ignore[attr-defined]
    course.write_text(course.read_text() + "\n[submission_limits]\nburst = 1\nper_minute = 1\n")
    carol = sign_in(site.client(), site.tokens["carol"])
    assert upload(carol, REFERENCE_TOY)[0] == 303
    status, page = upload(carol, REFERENCE_TOY)
    assert status == 429 and "upload-error" in page, page[-2000:]
    api = carol.post("/api/submissions", data={"exercise": "w01-toy"},
                     files={"file": ("toy.py", REFERENCE_TOY.encode(), "text/x-python")},
                     headers={"Authorization": f"Bearer {site.tokens['carol']}"})
    assert api.status_code == 429 and api.headers["retry-after"]
    assert carol.get("/my/index.html").text.count("data-id=") == 1
