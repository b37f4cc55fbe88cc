#!/usr/bin/env python3
"""Fault injection: SIGKILL `fairglb run` and `fairglb merge` at seeded random moments over a
folder holding an older result, then a full disk (a small tmpfs, when run as root).

After every kill the output folder must be either the old result or the new one, complete and
self-consistent (every file listed in manifest.json / .fairglb, with the recorded SHA-256), and
the leftovers a kill leaves beside it must be gone after the next complete run. On a full disk
the command must fail naming the result, leave the old folder as it was and the disk as before.

Usage: scripts/fault-injection.py [--bin target/release/fairglb] [--kills 20] [--seed 1]
Exit status 0 when every check holds; it prints one line per kill and a tally.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = ["run", "scenarios/global-2022.toml"]
OLD_RUN = RUN + ["--policy", "nearest", "--policy", "min-cost"]
SWEEP = "scenarios/paper-weights-sweep.toml"


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def fairglb(binary, args, **kw):
    return subprocess.run([binary] + args, cwd=ROOT, capture_output=True, text=True, **kw)


def must(binary, args):
    done = fairglb(binary, args)
    if done.returncode != 0:
        fail(f"fairglb {' '.join(args)}: {done.stderr.strip()}")
    return done


def fingerprint(folder):
    """What the folder holds, checked whole: every entry fairglb lists in `.fairglb`, each file
    manifest.json records with its SHA-256 (a run), or sweep.csv and sweep.json (a merge).
    Returns a comparable summary of the content."""
    entries = sorted(os.listdir(folder))
    owned_path = os.path.join(folder, ".fairglb")
    if ".fairglb" not in entries:
        fail(f"{folder}: no .fairglb (entries: {entries})")
    with open(owned_path) as f:
        owned = sorted(line for line in f.read().splitlines() if line)
    if sorted(e for e in entries if e != ".fairglb") != owned:
        fail(f"{folder}: entries {entries} are not the ones .fairglb lists {owned}")
    manifest = os.path.join(folder, "manifest.json")
    if os.path.exists(manifest):
        with open(manifest) as f:
            recorded = json.load(f)["files_sha256"]
        for name, digest in recorded.items():
            if sha256(os.path.join(folder, name)) != digest:
                fail(f"{folder}/{name}: SHA-256 differs from manifest.json")
        expected = sorted(list(recorded) + ["manifest.json", "timings.csv"])
        if owned != expected:
            fail(f"{folder}: holds {owned}, manifest.json wants {expected}")
        return tuple(sorted(recorded.items()))
    return tuple((name, sha256(os.path.join(folder, name))) for name in owned)


def leftovers(parent, name):
    return sorted(e for e in os.listdir(parent) if e.startswith(f".{name}."))


def kill_at(binary, args, delay):
    """Starts fairglb, SIGKILLs it after `delay` seconds; whether it had finished by then."""
    process = subprocess.Popen([binary] + args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait()
    return finished


def timed(binary, args):
    start = time.monotonic()
    must(binary, args)
    return time.monotonic() - start


def kills(binary, what, args, out, old, new, duration, count, rng):
    """`count` kills of `fairglb args` writing `out`, each over a fresh copy of `old`."""
    outcomes = {"old": 0, "new": 0}
    states = {fingerprint(old): "old", fingerprint(new): "new"}
    if len(states) != 2:
        fail(f"{what}: the old and the new result are the same; the test could not tell them apart")
    for k in range(count):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(old, out, symlinks=True)
        delay = rng.uniform(0.0, duration)
        finished = kill_at(binary, args, delay)
        state = states.get(fingerprint(out))
        if state is None:
            fail(f"{what} kill {k + 1} at {delay:.3f} s: the folder is neither the old result nor the new one")
        outcomes[state] += 1
        left = leftovers(os.path.dirname(out), os.path.basename(out))
        note = "(had finished)" if finished else f"{len(left)} leftover(s) beside it"
        print(f"{what} kill {k + 1:2d} at {delay:6.3f} s: {state} result, complete {note}")
    must(binary, args)
    if states.get(fingerprint(out)) != "new":
        fail(f"{what}: the run after the kills did not publish the new result")
    left = leftovers(os.path.dirname(out), os.path.basename(out))
    if left:
        fail(f"{what}: the next complete run left the killed runs' leftovers: {left}")
    print(f"{what}: {count} of {count} kills left a complete result ({outcomes['old']} old, {outcomes['new']} new); "
          "the next run removed every leftover")


def disk_full(binary, work, old):
    """A run into a 48 MiB tmpfs holding the old result: it must fail naming the result, and leave
    the old folder and the free space as they were."""
    if os.geteuid() != 0:
        print("disk full: skipped (needs root to mount a tmpfs)")
        return
    mount = os.path.join(work, "small")
    os.makedirs(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount]).returncode != 0:
        print("disk full: skipped (mount -t tmpfs failed)")
        return
    try:
        out = os.path.join(mount, "out")
        shutil.copytree(old, out)
        before, free = fingerprint(out), shutil.disk_usage(mount).free
        done = fairglb(binary, RUN + ["--out", out])
        if done.returncode == 0:
            fail("disk full: the run succeeded on a 48 MiB disk; make the disk smaller")
        message = done.stderr.strip()
        if out not in message or "staging" in message or ".tmp" in message:
            fail(f"disk full: the message should name the result, not a temporary file: {message}")
        if fingerprint(out) != before or sorted(os.listdir(mount)) != ["out"]:
            fail(f"disk full: the disk holds {sorted(os.listdir(mount))}, or the old result changed")
        if shutil.disk_usage(mount).free != free:
            fail("disk full: the free space is not what it was before the run")
        print(f"disk full: failed cleanly ({message}); old result intact, nothing left behind")
    finally:
        subprocess.run(["umount", mount])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.environ.get("FAIRGLB") or os.path.join(ROOT, "target/release/fairglb"))
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    binary = os.path.abspath(args.bin)
    with tempfile.TemporaryDirectory() as work:
        old, new, out = (os.path.join(work, n) for n in ("old", "new", "out"))
        must(binary, OLD_RUN + ["--out", old])
        duration = timed(binary, RUN + ["--out", new])
        print(f"run: a complete run takes {duration:.2f} s; killing it {args.kills} times (seed {args.seed})")
        kills(binary, "run", RUN + ["--out", out], out, old, new, duration, args.kills, rng)

        shards = [os.path.join(work, f"shard{k}") for k in (1, 2, 3)]
        for k, shard in enumerate(shards, 1):
            must(binary, ["sweep", SWEEP, "--shard", f"{k}/3", "--out", shard])
        old_shards = [os.path.join(work, f"old-shard{k}") for k in (1, 2)]
        for k, shard in enumerate(old_shards, 1):
            must(binary, ["sweep", SWEEP, "--set", "seed=7", "--shard", f"{k}/2", "--out", shard])
        old_merged, new_merged, merged = (os.path.join(work, n) for n in ("old-merged", "new-merged", "merged"))
        must(binary, ["merge"] + old_shards + ["--out", old_merged])
        duration = timed(binary, ["merge"] + shards + ["--out", new_merged])
        print(f"merge: a complete merge takes {duration:.3f} s; killing it {args.kills} times")
        kills(binary, "merge", ["merge"] + shards + ["--out", merged], merged, old_merged, new_merged,
              duration, args.kills, rng)

        disk_full(binary, work, old)
    print("fault injection: every check held")


if __name__ == "__main__":
    main()
