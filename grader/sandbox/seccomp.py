"""A seccomp filter for the local sandbox, compiled here (trusted side) to classic BPF.

bubblewrap installs it (``--seccomp FD``) right before it execs the worker, so everything the
submission runs is under it. It denies, with EPERM, the kernel keyring (``add_key``, ``keyctl``,
``request_key``: the keyrings are not namespaced, so a sandbox could read or plant keys of the
host user it maps to) and the other calls Docker's default profile denies to a container without
extra capabilities: mounts and namespaces, modules and kexec, BPF and perf, clock and swap, quota,
reboot, handles, io_uring, memory policy, ptrace and cross-process memory access. Calls made
through another ABI (i386 ``int 0x80``, x32) are denied as a whole, since their numbers differ.
clone(2) with a namespace flag is denied too, and clone3(2) (whose flags a filter cannot read) answers
ENOSYS, so the C library falls back to clone. The zygote (grader/inside/zygote.py) runs under a
variant that lets it make namespaces and mounts for each child; the child loads the full filter
(sent by the host, these bytes) before any submission code runs.

EPERM rather than killing the process, so a test (and a student) sees an ordinary ``OSError``.
Standard library only; the syscall numbers are the kernel's x86_64 table.
"""

from __future__ import annotations

import platform
import struct

# x86_64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl).
DENIED_X86_64 = {
    "add_key": 248, "request_key": 249, "keyctl": 250,
    "acct": 163, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "syslog": 103,
    "clock_adjtime": 305, "clock_settime": 227, "settimeofday": 164,
    "create_module": 174, "init_module": 175, "delete_module": 176, "finit_module": 313,
    "get_kernel_syms": 177, "query_module": 178, "kexec_load": 246, "kexec_file_load": 320,
    "ioperm": 173, "iopl": 172, "kcmp": 312, "lookup_dcookie": 212, "nfsservctl": 180,
    "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308,
    "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
    "mount_setattr": 442, "fanotify_init": 300,
    "name_to_handle_at": 303, "open_by_handle_at": 304,
    "quotactl": 179, "quotactl_fd": 443, "reboot": 169, "swapon": 167, "swapoff": 168,
    "sysfs": 139, "_sysctl": 156, "uselib": 134, "ustat": 136, "vhangup": 153,
    "get_mempolicy": 239, "set_mempolicy": 238, "mbind": 237, "move_pages": 279,
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "pidfd_getfd": 438,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
}

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
EPERM = 1

# Classic BPF opcodes.
LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
RET_K = 0x06  # BPF_RET | BPF_K
RET_ALLOW = 0x7FFF0000  # SECCOMP_RET_ALLOW
RET_ERRNO = 0x00050000  # SECCOMP_RET_ERRNO | errno
OFFSET_NR, OFFSET_ARCH = 0, 4  # struct seccomp_data


def supported() -> bool:
    """Whether this machine's architecture has a filter here."""
    return platform.machine() in ("x86_64", "AMD64")


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def denied_calls() -> dict[str, int]:
    return dict(DENIED_X86_64)


# Namespace flags of clone(2): a filtered process may fork and start threads but not make namespaces.
CLONE_NAMESPACE_FLAGS = 0x7E020000  # NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
CLONE, CLONE3 = 56, 435
ENOSYS = 38
LD_ABS_ARG0 = 16  # struct seccomp_data: args[0], low 32 bits (little endian)
JSET_K = 0x45  # BPF_JMP | BPF_JSET | BPF_K
# What the zygote needs to give each child its own namespaces and mounts (grader/inside/zygote.py);
# the child then installs the full filter again before the submission runs.
ZYGOTE_ALLOWED = frozenset({"unshare", "mount", "umount2"})


def program(allow: frozenset[str] = frozenset(), clone_checks: bool = True) -> bytes:
    """The filter as an array of ``struct sock_filter`` (what bwrap's --seccomp reads). ``allow``: calls of
    the deny list let through (the zygote's outer filter); ``clone_checks``: clone(2) with namespace
    flags is denied and clone3(2) answers ENOSYS, so libc falls back to the clone it can check."""
    if not supported():
        raise RuntimeError(f"no seccomp filter for {platform.machine()}")
    numbers = sorted({n for name, n in DENIED_X86_64.items() if name not in allow})
    deny = RET_ERRNO | EPERM
    code = [
        _insn(LD_W_ABS, 0, 0, OFFSET_ARCH),
        _insn(JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        _insn(RET_K, 0, 0, deny),  # another ABI (i386 int 0x80): numbers differ, deny all
        _insn(LD_W_ABS, 0, 0, OFFSET_NR),
    ]
    # Then: one check for x32, one per denied number, [clone3, clone], ALLOW, [clone's flags], DENY.
    checks = [X32_SYSCALL_BIT, *numbers]
    for index, number in enumerate(checks):
        to_deny = len(checks) - index + (2 + 4 if clone_checks else 0)  # skip to the shared DENY
        code.append(_insn(JGE_K if number == X32_SYSCALL_BIT else JEQ_K, to_deny, 0, number))
    if clone_checks:
        code.append(_insn(JEQ_K, 5, 0, CLONE3))  # -> RET ENOSYS
        code.append(_insn(JEQ_K, 1, 0, CLONE))  # -> LD arg0
    code.append(_insn(RET_K, 0, 0, RET_ALLOW))
    if clone_checks:
        code.append(_insn(LD_W_ABS, 0, 0, LD_ABS_ARG0))
        code.append(_insn(JSET_K, 2, 0, CLONE_NAMESPACE_FLAGS))  # -> DENY
        code.append(_insn(RET_K, 0, 0, RET_ALLOW))
        code.append(_insn(RET_K, 0, 0, RET_ERRNO | ENOSYS))
    code.append(_insn(RET_K, 0, 0, deny))
    assert len(checks) + 8 < 256  # jump offsets are one byte
    return b"".join(code)


def zygote_program() -> bytes:
    """The zygote's outer filter: the deny list but namespaces and mounts, which it needs per child."""
    return program(allow=ZYGOTE_ALLOWED, clone_checks=False)
