"""Read and evaluate the classic-BPF seccomp filter the kernel holds for a process.

Used to derive the docker backend's seccomp profile from the engine's own default (and to test
that the shipped profile differs from that default only where it should): the host, as root, reads
a container process's filter with ``PTRACE_SECCOMP_GET_FILTER`` and evaluates it for any system
call number and arguments here, exactly as the kernel would. Standard library only; x86_64 data
layout (``struct seccomp_data``: nr, arch, instruction pointer, six 64-bit arguments).
"""

from __future__ import annotations

import ctypes
import functools
import os
import struct

AUDIT_ARCH_X86_64 = 0xC000003E
RET_ACTION_MASK = 0xFFFF0000
RET_DATA_MASK = 0x0000FFFF
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000

_PTRACE_SEIZE, _PTRACE_INTERRUPT, _PTRACE_DETACH = 0x4206, 0x4207, 17
_PTRACE_SECCOMP_GET_FILTER = 0x420C
_WALL = 0x40000000


def read_filter(pid: int, index: int = 0) -> bytes:
    """The ``index``-th most recent seccomp filter of ``pid`` as ``struct sock_filter`` bytes.

    Needs CAP_SYS_ADMIN (the grader host as root). The process is stopped for the read, then
    released; it never notices beyond the pause."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.restype = ctypes.c_long
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    if libc.ptrace(_PTRACE_SEIZE, pid, None, None) != 0:
        raise OSError(ctypes.get_errno(), f"cannot attach to {pid} to read its seccomp filter")
    try:
        libc.ptrace(_PTRACE_INTERRUPT, pid, None, None)
        os.waitpid(pid, _WALL)
        count = libc.ptrace(_PTRACE_SECCOMP_GET_FILTER, pid, ctypes.c_void_p(index), None)
        if count <= 0:
            raise OSError(ctypes.get_errno(), f"process {pid} has no seccomp filter {index}")
        buffer = ctypes.create_string_buffer(8 * count)
        libc.ptrace(_PTRACE_SECCOMP_GET_FILTER, pid, ctypes.c_void_p(index), buffer)
        return buffer.raw
    finally:
        libc.ptrace(_PTRACE_DETACH, pid, None, None)


def _seccomp_data(nr: int, args: tuple[int, ...], arch: int) -> bytes:
    padded = (tuple(args) + (0,) * 6)[:6]
    return struct.pack("<iIQ6Q", nr, arch, 0, *(a & 0xFFFFFFFFFFFFFFFF for a in padded))


def run(program: bytes, nr: int, args: tuple[int, ...] = (), arch: int = AUDIT_ARCH_X86_64) -> int:
    """The filter's return value for one system call (a SECCOMP_RET_* action with its data)."""
    return trace(program, nr, args, arch)[0]


def trace(program: bytes, nr: int, args: tuple[int, ...] = (), arch: int = AUDIT_ARCH_X86_64) -> tuple[int, bool]:
    """``run``, and whether the verdict read any argument (if not, it holds for every argument)."""
    read_args = False
    data = _seccomp_data(nr, args, arch)
    insns = _decode(program)
    a = x = 0
    mem = [0] * 16
    pc = 0
    while pc < len(insns):
        code, jt, jf, k = insns[pc]
        pc += 1
        cls = code & 0x07
        if cls == 0x00:  # LD
            read_args = read_args or (code & 0xE0 == 0x20 and k >= 16)
            a = struct.unpack_from("<I", data, k)[0] if code & 0xE0 == 0x20 else mem[k] if code & 0xE0 == 0x60 else k
        elif cls == 0x01:  # LDX
            x = mem[k] if code & 0xE0 == 0x60 else k
        elif cls == 0x02:
            mem[k] = a
        elif cls == 0x03:
            mem[k] = x
        elif cls == 0x04:  # ALU
            operand = x if code & 0x08 else k
            a = _alu(code & 0xF0, a, operand) & 0xFFFFFFFF
        elif cls == 0x05:  # JMP
            op, operand = code & 0xF0, x if code & 0x08 else k
            if op == 0x00:
                pc += k
                continue
            taken = {0x10: a == operand, 0x20: a > operand, 0x30: a >= operand, 0x40: bool(a & operand)}[op]
            pc += jt if taken else jf
        elif cls == 0x06:  # RET
            return (a if code & 0x18 == 0x10 else k), read_args
        elif cls == 0x07:  # MISC: TAX / TXA
            if code & 0xF8 == 0x00:
                x = a
            else:
                a = x
    raise ValueError("seccomp program ran off its end")


@functools.lru_cache(maxsize=8)
def _decode(program: bytes) -> list[tuple[int, int, int, int]]:
    return [struct.unpack_from("=HBBI", program, i) for i in range(0, len(program), 8)]


def _alu(op: int, a: int, b: int) -> int:
    if op == 0x60:
        return a << b if b < 32 else 0
    if op == 0x70:
        return a >> b if b < 32 else 0
    if op in (0x30, 0x90):  # div, mod
        return (a // b if op == 0x30 else a % b) if b else 0
    ops = {0x00: a + b, 0x10: a - b, 0x20: a * b, 0x40: a | b, 0x50: a & b, 0x80: -a, 0xA0: a ^ b}
    return ops[op]


def describe(verdict: int) -> str:
    """``allow``, ``errno <n>`` or the raw action, for messages and the generated profile."""
    if verdict == RET_ALLOW:
        return "allow"
    if verdict & RET_ACTION_MASK == RET_ERRNO:
        return f"errno {verdict & RET_DATA_MASK}"
    return f"action {verdict:#x}"
