"""bench/soak's driver: photos trickle into one folder; dropsight's resident memory is sampled throughout.

Prints the median RSS of the first and the last quarter of the run and their ratio (the Part 11 target is
at most 1.1), and writes every sample to <work>/soak.csv.
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time

from .contenders import Dropsight
from .emulator import Emulator

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)


def rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> int:
    parser = argparse.ArgumentParser(prog="soak", description="dropsight's memory while photos trickle in.")
    parser.add_argument("--dropsight", default=os.path.join(ROOT, ".build/release/dropsight"))
    parser.add_argument("--emulator", default=os.path.join(ROOT, ".build/release/gemini-emulator"))
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--interval", type=float, default=0.75, help="seconds between drops (default 0.75)")
    parser.add_argument("--size", default="1632x1224", help="photo size (default 1632x1224, 2 MP)")
    parser.add_argument("--distinct", type=int, default=200, help="distinct photos made, then reused under new names")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build/soak-work"))
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    shutil.rmtree(os.path.join(work, "run"), ignore_errors=True)
    photos = os.path.join(work, f"photos-{args.distinct}-{args.size}")
    if not os.path.exists(os.path.join(photos, "manifest.json")):
        subprocess.run([sys.executable, os.path.join(BENCH, "make-photos.py"), photos, "-n", str(args.distinct),
                        "--size", args.size, "--seed", "11"], check=True)
    names = sorted(n for n in os.listdir(photos) if n.endswith(".jpg"))
    run = os.path.join(work, "run")
    folder, staging = os.path.join(run, "folder"), os.path.join(run, "staging")
    os.makedirs(folder)
    os.makedirs(staging)
    key = "soak-" + secrets.token_hex(8)
    emulator = Emulator(args.emulator, key, os.path.join(run, "emulator"))
    emulator.start()
    daemon = Dropsight(args.dropsight, folder, emulator.base_url, key, run, rpm=0)
    samples: list[tuple[float, float]] = []
    try:
        daemon.wait_ready()
        started = time.monotonic()
        end = started + args.minutes * 60
        dropped = 0
        next_drop = started
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_drop:
                name = f"{dropped:05d}-{names[dropped % len(names)]}"
                staged = os.path.join(staging, name)
                shutil.copyfile(os.path.join(photos, names[dropped % len(names)]), staged)
                os.rename(staged, os.path.join(folder, name))
                dropped += 1
                next_drop += args.interval
            if not samples or now - samples[-1][0] >= 1.0:
                value = rss_mib(daemon.process.pid)
                if value is not None:
                    samples.append((now - started, value))
            time.sleep(0.05)
        done = sum(1 for n in os.listdir(folder) if n.endswith(".dropsight.json"))
    finally:
        cpu, peak = daemon.finish() if daemon.alive() else (0.0, 0.0)
        emulator.stop()
    with open(os.path.join(work, "soak.csv"), "w") as handle:
        handle.write("seconds,rss_mib\n" + "".join(f"{t:.1f},{r:.1f}\n" for t, r in samples))
    quarter = max(1, len(samples) // 4)
    first = statistics.median(r for _, r in samples[:quarter])
    last = statistics.median(r for _, r in samples[-quarter:])
    print(f"soak: {args.minutes:g} min, {dropped} photos dropped ({args.size}, one every {args.interval:g} s), "
          f"{done} sidecars; CPU {cpu:.0f} s; peak RSS {peak:.0f} MiB")
    print(f"soak: RSS median first quarter {first:.0f} MiB, last quarter {last:.0f} MiB: ratio {last / first:.2f} "
          f"(samples in {work}/soak.csv)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
