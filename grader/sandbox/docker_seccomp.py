"""The seccomp profile of the docker zygote's pool container: the engine's default plus user
namespaces, and nothing else.

Docker's default profile refuses ``unshare``/``clone`` with namespace flags and ``mount`` to a
container without CAP_SYS_ADMIN, so the zygote could not give each submission its own user, PID,
network, IPC, UTS and mount namespaces. The shipped profile (``docker_seccomp.json``, package
data) is derived from **this engine's own default filter**, not copied from anywhere:

1. ``derive()`` starts a container with the backend's flags (cap-drop ALL, default seccomp) and
   reads the BPF filter runc installed for it from the host (``bpf.read_filter``: ptrace, root);
2. it evaluates that filter for every x86_64 system call number (names from the kernel headers,
   ``/usr/include/x86_64-linux-gnu/asm/unistd_64.h``) with a set of probing arguments, and writes
   one rule per verdict: allowed calls, calls answering another errno (``clone3`` → ENOSYS), and
   the two calls whose verdict depends on an argument (``clone``: the namespace flag bits found
   bit by bit; ``personality``: the allowed values among the candidates);
3. it adds ``ADDED`` (below) and refuses to write a profile whose own filter differs from the
   default anywhere else (``tests/test_docker_seccomp.py`` checks the same against the engine).

Regenerate after an engine upgrade: ``python3 -m grader.sandbox.docker_seccomp`` (as root, with
the engine running and the worker image built).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from grader.sandbox import bpf

PROFILE_FILE = "docker_seccomp.json"
UNISTD = Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")
HIGHEST_NR = 470
CLONE_NAMESPACE_FLAGS = 0x7E020000  # NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
# What the zygote's per-submission child needs beyond the default, and nothing else: new
# namespaces (unshare, or clone with the namespace flags), the mounts of its fresh tmpfs and
# /proc, and the host name of its new UTS namespace. The child installs the final filter
# (seccomp.py, which denies namespaces and mounts again) before the submission runs.
ADDED = ("unshare", "clone", "mount", "umount2", "sethostname")
PERSONALITY_CANDIDATES = (0, 8, 0x20000, 0x20008, 0xFFFFFFFF, 0x0400000, 0x0040000, 0x0800000)


def profile_text() -> str:
    """The shipped profile as JSON text (what ``--security-opt seccomp=`` carries)."""
    return (resources.files("grader.sandbox") / PROFILE_FILE).read_text()


def profile() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(profile_text())
    return data


def syscall_names(header: Path = UNISTD) -> dict[int, str]:
    return {int(n): name for name, n in re.findall(r"#define __NR_(\w+) (\d+)", header.read_text())}


def probes() -> list[tuple[int, ...]]:
    """Arguments each call is evaluated with: zero, small values, every single bit, the candidates."""
    values = {*range(64), *(1 << i for i in range(32)), *PERSONALITY_CANDIDATES, CLONE_NAMESPACE_FLAGS}
    return [(v,) for v in sorted(values)] + [(0, 1 << i) for i in range(32)]


def verdicts(program: bytes, nr: int) -> dict[tuple[int, ...], int]:
    """The verdict per probe; a single ``()`` entry when the filter never looks at the arguments."""
    verdict, read_args = bpf.trace(program, nr)
    if not read_args:
        return {(): verdict}
    return {args: bpf.run(program, nr, args) for args in probes()}


def derive(default_filter: bytes, names: dict[int, str]) -> dict[str, Any]:
    """A profile equivalent to ``default_filter`` on x86_64, plus ``ADDED``."""
    allowed: list[str] = []
    other_errno: dict[int, list[str]] = {}
    rules: list[dict[str, Any]] = []
    for nr, name in sorted(names.items()):
        seen = verdicts(default_filter, nr)
        distinct = set(seen.values())
        if name in ADDED:
            allowed.append(name)
        elif len(distinct) == 1:
            verdict = distinct.pop()
            if verdict == bpf.RET_ALLOW:
                allowed.append(name)
            elif verdict != bpf.RET_ERRNO | 1:
                other_errno.setdefault(verdict & bpf.RET_DATA_MASK, []).append(name)
        elif name == "personality":
            for value in PERSONALITY_CANDIDATES:
                if seen[(value,)] == bpf.RET_ALLOW:
                    rules.append({"names": [name], "action": "SCMP_ACT_ALLOW",
                                  "args": [{"index": 0, "value": value, "op": "SCMP_CMP_EQ"}]})
        else:
            raise ValueError(f"{name} depends on its arguments in the engine's default; teach derive() about it")
    syscalls: list[dict[str, Any]] = [{"names": sorted(allowed), "action": "SCMP_ACT_ALLOW"}, *rules]
    for errno, group in sorted(other_errno.items()):
        syscalls.append({"names": sorted(group), "action": "SCMP_ACT_ERRNO", "errnoRet": errno})
    return {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
            "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": syscalls}


def differences(default_filter: bytes, ours: bytes, names: dict[int, str]) -> dict[str, set[str]]:
    """Per call name, how ``ours`` answers differently from the default (``allow`` where it denied, ...)."""
    out: dict[str, set[str]] = {}
    for nr in range(HIGHEST_NR):
        theirs, ours_ = verdicts(default_filter, nr), verdicts(ours, nr)
        keys = [()] if set(theirs) == set(ours_) == {()} else probes()
        for args in keys:
            verdict, mine = theirs.get(args, theirs.get((), 0)), ours_.get(args, ours_.get((), 0))
            if mine != verdict:
                out.setdefault(names.get(nr, str(nr)), set()).add(f"{bpf.describe(verdict)} -> {bpf.describe(mine)}")
    return out


def container_filter(seccomp: str | None) -> bytes:
    """The filter runc installs for a container with the backend's flags and this profile (None: default)."""
    from grader.sandbox import docker_engine as engine
    from grader.spec import Limits

    image = engine.image_info()
    if image is None:
        raise RuntimeError(engine.image_problem(None) or "no worker image")
    python = image.python or "/usr/bin/python3"
    config = engine.container_config(image, [python, "-c", "import time; time.sleep(60)"], Limits(),
                                     engine.labels_for("seccomp-probe"), {}, stdin=False, seccomp=seccomp)
    container = engine.api().create_container(**config)["Id"]
    try:
        engine.api().start(container)
        pid = int(engine.api().inspect_container(container)["State"]["Pid"])
        return bpf.read_filter(pid)
    finally:
        engine.remove(container)


def main() -> None:
    names = syscall_names()
    default = container_filter(None)
    derived = derive(default, names)
    text = json.dumps(derived, indent=1) + "\n"
    extra = differences(default, container_filter(text), names)
    if set(extra) - set(ADDED):
        raise SystemExit(f"the derived profile differs from the engine's default beyond {ADDED}: {extra}")
    target = Path(__file__).with_name(PROFILE_FILE)
    target.write_text(text)
    print(f"wrote {target}: {len(derived['syscalls'][0]['names'])} calls allowed; differs from the default in "
          + ", ".join(f"{name} ({', '.join(sorted(v))})" for name, v in sorted(extra.items())))


if __name__ == "__main__":
    main()
