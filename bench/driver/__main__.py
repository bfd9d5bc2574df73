"""bench/run-bench's driver: runs the scenarios, alternating the daemons, and writes the table."""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time

from . import floor, machine, measure, report
from .contenders import Baseline, Dropsight
from .emulator import Emulator

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="run-bench", description="dropsight against the docs-style baseline.")
    parser.add_argument("--dropsight", default=os.path.join(ROOT, ".build/release/dropsight"))
    parser.add_argument("--emulator", default=os.path.join(ROOT, ".build/release/gemini-emulator"))
    parser.add_argument("--photos", type=int, default=100, help="photos per batch run (default 100)")
    parser.add_argument("--size", default="4000x3000", help="photo size (default 4000x3000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per daemon and scenario (default 3)")
    parser.add_argument("--singles", type=int, default=20, help="single drops per run in (d) (default 20)")
    parser.add_argument("--scenarios", default="abd", help="any of a, b, d; (c) comes from (a) (default abd)")
    parser.add_argument("--contenders", default="dropsight,baseline", help="comma list (default both)")
    parser.add_argument("--concurrency", type=int, default=8, help="dropsight's max_concurrency (default 8)")
    parser.add_argument("--overlay", default="composite", choices=["composite", "layer", "off"],
                        help="dropsight's overlay setting for the detect and segment prompts (default composite)")
    parser.add_argument("--settle-ms", type=int, default=200, help="dropsight's settle_ms (default 200)")
    parser.add_argument("--work", default=os.path.join(ROOT, ".build/bench-work"), help="scratch folder")
    parser.add_argument("--output", default=os.path.join(ROOT, "docs/benchmarks.md"),
                        help="Markdown file to write ('-' for none)")
    parser.add_argument("--deadline-minutes", type=float, default=180, help="stop starting runs after this long")
    parser.add_argument("--note", action="append", default=[], help="a note to add to the report (repeatable)")
    parser.add_argument("--render", metavar="RESULTS_JSON",
                        help="run nothing: rewrite --output from a results.json of an earlier run")
    args = parser.parse_args()
    if args.render:
        return args
    if not 1 <= args.photos <= 10_000 or not 1 <= args.repeats <= 50 or not 1 <= args.singles <= 1000:
        parser.error("--photos 1..10000, --repeats 1..50, --singles 1..1000")
    if not 1 <= args.concurrency <= 256 or not 0 <= args.settle_ms <= 60_000:
        parser.error("--concurrency 1..256, --settle-ms 0..60000")
    # Absolute, because NOTIFY_SOCKET and the daemons' folders must not depend on a working directory.
    args.work = os.path.abspath(args.work)
    args.contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    if not set(args.contenders) <= {"dropsight", "baseline"} or not args.contenders:
        parser.error("--contenders takes dropsight and/or baseline")
    if not set(args.scenarios) <= set("abcd"):
        parser.error("--scenarios takes letters from abcd")
    for contender, binary in (("dropsight", args.dropsight),):
        if contender in args.contenders and not os.access(binary, os.X_OK):
            parser.error(f"{binary} is not an executable; build it with `swift build -c release` "
                         "or leave it out with --contenders baseline")
    if not os.access(args.emulator, os.X_OK):
        parser.error(f"{args.emulator} is not an executable; build it with "
                     "`swift build -c release --product gemini-emulator`")
    return args


def ensure_photos(work: str, count: int, size: str) -> tuple[str, list[str]]:
    folder = os.path.join(work, f"photos-{count}-{size}")
    manifest = os.path.join(folder, "manifest.json")
    if os.path.exists(manifest):
        names = [e["name"] for e in json.load(open(manifest)) if e["kind"] == "good"]
        if len(names) == count:
            return folder, names
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(BENCH, "make-photos.py"), folder, "-n", str(count),
                    "--size", size, "--seed", "7"], check=True)
    names = [e["name"] for e in json.load(open(manifest)) if e["kind"] == "good"]
    return folder, names


def start_daemon(name: str, args, run_dir: str, folder: str, emulator: Emulator, key: str, rpm: int, exit_after: int):
    if name == "baseline":
        daemon = Baseline(sys.executable, os.path.join(BENCH, "baseline/daemon.py"), folder, emulator.base_url,
                          key, run_dir, exit_after)
    else:
        daemon = Dropsight(args.dropsight, folder, emulator.base_url, key, run_dir, rpm, args.concurrency,
                           args.settle_ms, args.overlay)
    daemon.wait_ready()
    return daemon


def one_run(kind: str, name: str, args, emulator: Emulator, key: str, photos: str, names: list[str],
            run_dir: str, rpm: int, deadline_s: float) -> dict:
    shutil.rmtree(run_dir, ignore_errors=True)
    folder = os.path.join(run_dir, "folder")
    staging = os.path.join(run_dir, "staging")
    os.makedirs(folder)
    measure.stage(photos, names, staging)
    daemon = start_daemon(name, args, run_dir, folder, emulator, key, rpm, exit_after=0)
    emulator.reset()
    try:
        if kind == "singles":
            result = measure.singles(daemon, emulator, staging, folder, names, deadline_s)
        else:
            result = measure.batch(daemon, emulator, staging, folder, names, deadline_s)
    finally:
        if daemon.alive():
            daemon.finish()
    # Keep the logs and config, drop the pictures.
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    return result


def describe(scenario: str, name: str, repeat: int, result: dict) -> str:
    if scenario == "d":
        lat = sorted(result["latencies_s"])
        p50 = report.percentile(lat, 0.5)
        return (f"({scenario}) {name} #{repeat + 1}: {result['measured']}/{result['images']} drops measured, "
                f"p50 {report.fmt(p50 * 1000 if p50 is not None else None, 0)} ms")
    return (f"({scenario}) {name} #{repeat + 1}: {result['finished']}/{result['images']} images, "
            f"wall {report.fmt(result['wall_s'], 1)} s, cpu {result['cpu_s']:.1f} s, rss {result['rss_mib']:.0f} MiB, "
            f"{result['requests']} requests ({result['status_429']} x 429, {result['errors']} errors), "
            f"{result['bytes_per_image'] / 1e6:.2f} MB/image; "
            + ", ".join(f"{k} {v}" for k, v in sorted(result.get("request_kinds", {}).items())))


def render(args) -> int:
    """Rewrites the report from an earlier run's results.json (machine and date are that run's)."""
    with open(args.render) as handle:
        saved = json.load(handle)
    rows = report.summarise(saved["results"])
    notes = saved.get("notes", []) + list(args.note)
    text = report.markdown(saved["machine"], saved["settings"], rows, saved["results"], notes, saved.get("floor"))
    print(report.table(rows))
    if args.output != "-":
        with open(args.output, "w") as handle:
            handle.write(text)
        print(f"\nwrote {args.output}")
    return 0


def main() -> int:
    args = arguments()
    if args.render:
        return render(args)
    started = time.monotonic()
    give_up = started + args.deadline_minutes * 60
    os.makedirs(args.work, exist_ok=True)
    info = machine.describe()
    photos, names = ensure_photos(args.work, args.photos, args.size)
    key = "bench-" + secrets.token_hex(8)
    plans = []
    if "a" in args.scenarios or "c" in args.scenarios:
        plans.append(("a", "batch", 0, None))
    if "b" in args.scenarios:
        plans.append(("b", "batch", 300, 600))
    if "d" in args.scenarios:
        plans.append(("d", "singles", 0, None))
    results: dict = {}
    notes = list(args.note)
    per_run_deadline = max(300.0, args.photos * 30.0)
    for scenario, kind, latency, rpm in plans:
        emulator = Emulator(args.emulator, key, os.path.join(args.work, f"emulator-{scenario}"), latency, rpm)
        emulator.start()
        try:
            for repeat in range(args.repeats):
                order = args.contenders if repeat % 2 == 0 else list(reversed(args.contenders))
                for name in order:
                    if time.monotonic() > give_up:
                        notes.append(f"stopped early: the {args.deadline_minutes:.0f}-minute deadline passed")
                        break
                    chosen = names[: args.singles] if kind == "singles" else names
                    run_dir = os.path.join(args.work, "runs", f"{scenario}-{name}-{repeat + 1}")
                    try:
                        result = one_run(kind, name, args, emulator, key, photos, chosen, run_dir,
                                         rpm or 0, min(per_run_deadline, max(1.0, give_up - time.monotonic())))
                    except RuntimeError as error:
                        print(f"({scenario}) {name} #{repeat + 1} failed: {error}", file=sys.stderr)
                        notes.append(f"({scenario}) {name} run {repeat + 1} failed: {str(error).splitlines()[0]}")
                        continue
                    results.setdefault(scenario, {}).setdefault(name, []).append(result)
                    print(describe(scenario, name, repeat, result), flush=True)
        finally:
            emulator.stop()
    floor_result = None
    sides = [r.get("sent_long_side") for r in results.get("a", {}).get("dropsight", []) if r.get("sent_long_side")]
    if sides and floor.available():
        floor_result = floor.measure(photos, names, max(sides))
        print(f"libvips floor: {floor_result['cpu_per_photo_s']:.3f} s CPU per photo at long side {max(sides)}")
    elif sides:
        notes.append(f"libvips' floor not measured: `{floor.TOOL}` is not installed (Debian: libvips-tools).")
    rows = report.summarise(results)
    settings = {"photos": args.photos, "size": args.size, "repeats": args.repeats, "singles": args.singles,
                "concurrency": args.concurrency, "settle_ms": args.settle_ms, "overlay": args.overlay,
                "scenarios": ", ".join(s for s, *_ in plans) + (" (c from a)" if any(s == "a" for s, *_ in plans) else "")}
    if "dropsight" not in args.contenders:
        notes.append("dropsight was not run (--contenders baseline): its column is n/a.")
    text = report.markdown(info, settings, rows, results, notes, floor_result)
    with open(os.path.join(args.work, "results.json"), "w") as handle:
        json.dump({"machine": info, "settings": settings, "results": results, "notes": notes, "floor": floor_result},
                  handle, indent=1)
    print()
    print(report.table(rows))
    if args.output != "-":
        with open(args.output, "w") as handle:
            handle.write(text)
        print(f"\nwrote {args.output} (raw numbers in {args.work}/results.json) after "
              f"{(time.monotonic() - started) / 60:.1f} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
