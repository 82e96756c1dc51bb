#!/usr/bin/env python3
"""Mutation testing for BorderNet (Tests/Mutations/README.md).

Applies each mutation of Tests/Mutations/*.mutation to the sources, one at a time, rebuilds,
runs the tests named in the mutation, and (MUTATE_FULL=1) the whole suite when those did not
catch it; always puts the original file back, then prints which mutations were caught and by
which test. A mutation no test catches is a missing test.

Environment:
  SWIFT                 the swift executable (default: swift)
  MUTATE_BUILD_PREFIX   put before every swift build/test, e.g. "flock -o /tmp/bn-build.lock"
  MUTATE_FULL=1         run the whole suite for a mutation its focused tests did not catch
  MUTATE_ONLY           comma-separated substrings: only the mutations whose name contains one
  MUTATE_TIMEOUT        seconds one test run may take before it is stopped (default 900; a
                        mutation that makes the tests hang counts as caught, "timed out")
Exit status: 0 when every mutation run was caught, 1 otherwise, 2 when it refused to run.
"""

import hashlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FOLDER = ROOT / "Tests" / "Mutations"
STATE = ROOT / ".build" / "mutate"
PENDING = STATE / "applied.json"  # written while a mutation is applied: the original to restore


@dataclass
class Mutation:
    name: str
    description: str
    file: str
    tests: str
    find: str
    replace: str
    result: str = "not run"
    caught: bool = False
    by: list = field(default_factory=list)
    seconds: float = 0.0


def parse(path: Path) -> Mutation:
    """`key: value` lines (description, file, tests; `#` lines are comments), then `--- find`
    and `--- replace` blocks, each taken verbatim up to the next marker (the final newline of a
    block is not part of it)."""
    header, blocks, current = {}, {}, None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line in ("--- find", "--- replace"):
            current = line[4:]
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
        elif line.strip() and not line.startswith("#"):
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
    for block in blocks.values():
        while block and block[-1] == "":
            block.pop()
    missing = [key for key in ("description", "file", "tests") if key not in header] + [
        "--- " + key for key in ("find", "replace") if key not in blocks
    ]
    if missing:
        raise SystemExit(f"{path.name}: missing {', '.join(missing)}")
    return Mutation(
        name=path.stem, description=header["description"], file=header["file"], tests=header["tests"],
        find="\n".join(blocks["find"]), replace="\n".join(blocks["replace"]))


def run(command, log, timeout):
    """Runs `command` in its own process group, appending its output to `log`; returns
    (exit status or None on timeout, output)."""
    log.write(f"\n$ {' '.join(command)}\n")
    log.flush()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
        start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        status = None
    log.write(output)
    log.flush()
    return status, output


FAILED = re.compile(r'✘ Test (?!run with)(.+?)(?: with \d+ test cases?)? (?:failed|recorded an issue)')
CRASH = re.compile(r'(Fatal error|Exited with unexpected signal code|error: Exited with signal)')


def failing_tests(output):
    names = []
    for match in FAILED.finditer(output):
        name = match.group(1)
        if name not in names:
            names.append(name)
    if not names and CRASH.search(output):
        names.append("(the test process crashed)")
    return names


def restore_pending():
    """Puts back a file a killed earlier run left mutated."""
    if not PENDING.exists():
        return
    record = json.loads(PENDING.read_text(encoding="utf-8"))
    target = ROOT / record["file"]
    target.write_bytes(bytes.fromhex(record["original"]))
    PENDING.unlink()
    print(f"mutate: restored {record['file']} (a previous run stopped with mutation {record['name']} applied)")


class Stop(Exception):
    pass


def main():
    swift = os.environ.get("SWIFT", "swift")
    prefix = shlex.split(os.environ.get("MUTATE_BUILD_PREFIX", ""))
    full = os.environ.get("MUTATE_FULL") == "1"
    timeout = float(os.environ.get("MUTATE_TIMEOUT", "900"))
    only = [part for part in os.environ.get("MUTATE_ONLY", "").split(",") if part]

    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "logs").mkdir(exist_ok=True)
    restore_pending()
    mutations = [parse(path) for path in sorted(FOLDER.glob("*.mutation"))]
    if only:
        mutations = [m for m in mutations if any(part in m.name for part in only)]
    if not mutations:
        print("mutate: no mutation selected", file=sys.stderr)
        return 2

    # Refuse to run over uncommitted changes in the files it mutates: reverting must give back
    # exactly what is committed, and nobody's edits may be mixed into a mutant.
    files = sorted({m.file for m in mutations})
    for name in files:
        if not (ROOT / name).is_file():
            print(f"mutate: {name} does not exist (named by a mutation)", file=sys.stderr)
            return 2
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", *files], cwd=ROOT, capture_output=True, text=True)
    if dirty.returncode != 0 or dirty.stdout.strip():
        print("mutate: refusing to run: the files to mutate have uncommitted changes (or this is not a git work tree):",
              file=sys.stderr)
        print(dirty.stdout + dirty.stderr, file=sys.stderr)
        return 2

    def interrupted(number, _frame):
        raise Stop(f"signal {number}")

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, interrupted)

    started = time.monotonic()
    stopped = None
    build = prefix + [swift, "build", "--build-tests"]
    try:
        for index, mutation in enumerate(mutations, 1):
            target = ROOT / mutation.file
            original = target.read_bytes()
            text = original.decode("utf-8")
            count = text.count(mutation.find)
            if count != 1:
                mutation.result = "stale" if count == 0 else f"ambiguous ({count} matches)"
                print(f"[{index}/{len(mutations)}] {mutation.name}: {mutation.result}: the snippet is "
                      f"{'not' if count == 0 else 'more than once'} in {mutation.file}", flush=True)
                continue
            print(f"[{index}/{len(mutations)}] {mutation.name}: {mutation.description}", flush=True)
            begun = time.monotonic()
            with open(STATE / "logs" / f"{mutation.name}.log", "w", encoding="utf-8") as log:
                PENDING.write_text(json.dumps(
                    {"name": mutation.name, "file": mutation.file, "original": original.hex()}), encoding="utf-8")
                try:
                    target.write_text(text.replace(mutation.find, mutation.replace), encoding="utf-8")
                    status, _ = run(build, log, timeout)
                    if status != 0:
                        mutation.result = "did not build"
                    else:
                        status, output = run(
                            prefix + [swift, "test", "--skip-build", "--filter", mutation.tests], log, timeout)
                        if status is None:
                            mutation.caught, mutation.result, mutation.by = True, "caught", ["(timed out)"]
                        elif status != 0:
                            mutation.caught, mutation.result, mutation.by = True, "caught", failing_tests(output)
                        elif full:
                            status, output = run(prefix + [swift, "test", "--skip-build"], log, timeout)
                            if status is None:
                                mutation.caught, mutation.result, mutation.by = True, "caught (full)", ["(timed out)"]
                            elif status != 0:
                                mutation.caught, mutation.result, mutation.by = True, "caught (full)", failing_tests(output)
                            else:
                                mutation.result = "NOT CAUGHT (full suite)"
                        else:
                            mutation.result = "NOT CAUGHT"
                finally:
                    target.write_bytes(original)
                    PENDING.unlink()
            mutation.seconds = time.monotonic() - begun
            print(f"    {mutation.result}{': ' + '; '.join(mutation.by) if mutation.by else ''} "
                  f"({mutation.seconds:.0f} s)", flush=True)
    except Stop as reason:
        stopped = str(reason)
    finally:
        # Every file is the committed one again (checked, not assumed).
        changed = subprocess.run(["git", "status", "--porcelain", "--", *files], cwd=ROOT, capture_output=True, text=True)
        if changed.stdout.strip():
            print("mutate: ERROR: files still differ from the commit after reverting:\n" + changed.stdout, file=sys.stderr)

    # Leave .build with the real code, so that a later `swift test --skip-build` tests it.
    with open(STATE / "logs" / "rebuild.log", "w", encoding="utf-8") as log:
        status, _ = run(build, log, timeout)
    elapsed = time.monotonic() - started

    width = max(len(m.name) for m in mutations)
    lines = [f"{'mutation':<{width}}  {'result':<24}  caught by", f"{'-' * width}  {'-' * 24}  {'-' * 9}"]
    for m in mutations:
        by = "; ".join(m.by[:2]) + (f" (+{len(m.by) - 2} more)" if len(m.by) > 2 else "")
        lines.append(f"{m.name:<{width}}  {m.result:<24}  {by}")
    ran = [m for m in mutations if m.result != "not run"]
    caught = sum(m.caught for m in mutations)
    lines.append("")
    lines.append(f"{caught} of {len(mutations)} mutations caught in {elapsed / 60:.1f} min"
                 + (" (focused tests, then the whole suite for those not caught)" if full else " (focused tests)")
                 + (f"; STOPPED by {stopped} after {len(ran)}" if stopped else ""))
    if status != 0:
        lines.append("warning: the final rebuild of the unmutated sources failed: see .build/mutate/logs/rebuild.log")
    lines.append("logs: .build/mutate/logs/<mutation>.log")
    report = "\n".join(lines)
    print("\n" + report)
    (STATE / "results.txt").write_text(report + "\n", encoding="utf-8")
    return 0 if caught == len(mutations) and not stopped else 1


if __name__ == "__main__":
    sys.exit(main())
