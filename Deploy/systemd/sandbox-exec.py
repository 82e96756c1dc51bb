#!/usr/bin/python3
"""Runs a command under the seccomp sandbox a systemd unit describes, without systemd.

    Deploy/systemd/sandbox-exec.py UNIT_FILE -- COMMAND [ARGUMENT...]

systemd cannot run in a build container, but the unit's riskiest promises are seccomp filters,
and those can be applied here exactly as systemd would, so that a test can show the node works
under them:

  SystemCallFilter=          allow-list and ~deny-lists, groups expanded by
                             `systemd-analyze syscall-filter`; anything else fails with
                             SystemCallErrorNumber= (default EPERM), as systemd does;
  RestrictAddressFamilies=   socket(2) with another family fails with EAFNOSUPPORT;
  MemoryDenyWriteExecute=yes mmap(2) writable and executable, mprotect(2)/pkey_mprotect(2) adding
                             PROT_EXEC, shmat(2) with SHM_EXEC: EPERM.

Each is its own stacked filter, as systemd installs them (the kernel applies the strictest answer).
NoNewPrivileges is implied (a seccomp filter requires it). The mount namespace options
(ProtectSystem=, PrivateTmp=, ...) and User= are not emulated: they need root and systemd.

Needs python3-seccomp (Debian) and systemd-analyze.
"""

import errno
import os
import socket
import subprocess
import sys

import seccomp  # python3-seccomp

PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000


def service_settings(path):
    """The [Service] section's settings, every value of a repeated key in order."""
    settings, section = {}, None
    with open(path, encoding="utf-8") as unit:
        for raw in unit:
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line
                continue
            if section == "[Service]" and "=" in line:
                key, value = line.split("=", 1)
                settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def expand(name, seen=None):
    """The system calls of a name: a call, or a @group expanded recursively."""
    if not name.startswith("@"):
        return {name}
    seen = seen if seen is not None else set()
    if name in seen:
        return set()
    seen.add(name)
    listing = subprocess.run(
        ["systemd-analyze", "syscall-filter", name], check=True, capture_output=True, text=True
    ).stdout.splitlines()[1:]
    calls = set()
    for line in listing:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            calls |= expand(entry, seen)
    return calls


def allowed_calls(filters):
    """systemd's semantics: the first allow-list fixes the set; ~lines remove from it."""
    allowed = None
    for value in filters:
        deny = value.startswith("~")
        names = set()
        for word in value.lstrip("~").split():
            names |= expand(word)
        if deny:
            if allowed is None:
                raise SystemExit("sandbox-exec: a deny-list without an allow-list is not emulated")
            allowed -= names
        else:
            allowed = names if allowed is None else allowed | names
    return allowed


def add(filter_, action, call, *arguments):
    try:
        filter_.add_rule(action, call, *arguments)
    except (RuntimeError, ValueError, OSError):
        pass  # a call this architecture does not have


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        raise SystemExit(__doc__)
    settings = service_settings(sys.argv[1])
    command = sys.argv[3:]

    families = settings.get("RestrictAddressFamilies", [])
    if families:
        allowed = {getattr(socket, name) for name in " ".join(families).split()}
        sockets = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for family in range(0, 64):
            if family not in allowed:
                add(sockets, seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, family))
        sockets.load()

    if settings.get("MemoryDenyWriteExecute", ["no"])[-1] in ("yes", "true", "1", "on"):
        memory = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        both = PROT_WRITE | PROT_EXEC
        add(memory, seccomp.ERRNO(errno.EPERM), "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, both, both))
        for call in ("mprotect", "pkey_mprotect"):
            add(memory, seccomp.ERRNO(errno.EPERM), call, seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
        add(memory, seccomp.ERRNO(errno.EPERM), "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))
        memory.load()

    # Last: once loaded, it may forbid the seccomp(2) call that loads a filter.
    filters = settings.get("SystemCallFilter", [])
    if filters:
        number = settings.get("SystemCallErrorNumber", ["EPERM"])[-1]
        calls = seccomp.SyscallFilter(defaction=seccomp.ERRNO(getattr(errno, number)))
        for call in sorted(allowed_calls(filters)):
            add(calls, seccomp.ALLOW, call)
        calls.load()

    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
