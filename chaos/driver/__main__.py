"""Chaos run: drop photos while everything fails, then check that nothing was lost.

Timeline for --minutes M: photos are dropped during the first 60 % of M; the daemon is SIGKILLed
every 10-40 s and restarted until M minutes have passed; the emulator is SIGKILLed and restarted
once, halfway. The small disk grows once it has stayed full for 15 s. Link traps (traps.py) sit in
alpha from the start, and every 5-15 s a good photo dropped there is swapped for a symlink to a photo
outside every watched folder. Then the daemon runs
undisturbed until every file has its final sidecar (at most --drain minutes), is stopped with
SIGTERM, and the checks run.
"""

import argparse
import errno
import os
import random
import secrets
import shutil
import sys
import time

from . import checks, photos, setup
from .processes import Daemon, Emulator
from .tmpfs import SmallDisk
from .traps import Traps


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="chaos/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=".build/release", help="folder with dropsight and gemini-emulator")
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("CHAOS_MINUTES", "10")),
                        help="length of the chaos (default $CHAOS_MINUTES, else 10)")
    parser.add_argument("--images", type=int, default=0, help="files to drop (default 100 per minute)")
    parser.add_argument("--bad-share", type=float, default=0.05, help="share of hostile files (default 0.05)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CHAOS_SEED", "7")))
    parser.add_argument("--work", default=".build/chaos", help="work folder (emptied first)")
    parser.add_argument("--drain", type=float, default=0, help="minutes allowed after the chaos (default max(3, M/2))")
    parser.add_argument("--rss-limit-mib", type=int, default=600)
    parser.add_argument("--disk-mib", type=int, default=24, help="first size of the small tmpfs")
    return parser.parse_args()


def pending_sidecars(items: list, folders: dict, finished: set) -> int:
    """How many dropped files still lack a final sidecar (every prompt ok or error)."""
    for item in items:
        if id(item) in finished or not item.dropped:
            continue
        if item.expect == "error-or-ignored":
            finished.add(id(item))
            continue
        sidecar, _ = checks.read_sidecar(item.destination(folders) + checks.SIDECAR_SUFFIX)
        prompts = (sidecar or {}).get("prompts", {})
        if sorted(prompts) == sorted(setup.FOLDER_PROMPTS[item.folder]) and all(
                p.get("status") in ("ok", "error") for p in prompts.values()):
            finished.add(id(item))
    return sum(1 for item in items if id(item) not in finished)


def main() -> int:
    options = arguments()
    chaos_s = options.minutes * 60
    images = options.images or max(20, round(100 * options.minutes))
    drain_s = (options.drain or max(3.0, options.minutes / 2)) * 60
    work = os.path.abspath(options.work)
    binaries = os.path.abspath(options.bin)
    for tool in ("dropsight", "gemini-emulator"):
        if not os.access(os.path.join(binaries, tool), os.X_OK):
            print(f"chaos: {binaries}/{tool} is missing; build it first (make build)", file=sys.stderr)
            return 2
    if os.path.ismount(os.path.join(work, "drop", "gamma")):
        os.system(f"umount --lazy '{work}/drop/gamma'")
    shutil.rmtree(work, ignore_errors=True)
    for sub in ("drop/alpha", "drop/beta", "state", "emulator", "secret"):
        os.makedirs(os.path.join(work, sub), mode=0o700)
    folders = {name: os.path.join(work, "drop", name) for name in setup.FOLDER_PROMPTS}
    key = "chaos-" + secrets.token_hex(16)
    chooser = random.Random(options.seed)

    print(f"chaos: {options.minutes:g} min, {images} files ({options.bad_share:.0%} hostile) into "
          f"{', '.join(setup.FOLDER_PROMPTS)}; work folder {work}")
    started = time.monotonic()
    items = photos.generate(os.path.join(work, "photos"), images, options.bad_share, options.seed)
    items = photos.schedule(items, list(setup.FOLDER_PROMPTS), chaos_s * 0.6, options.seed)
    print(f"chaos: {len(items)} files generated in {time.monotonic() - started:.0f} s")

    disk = SmallDisk(folders["gamma"], options.disk_mib, full_for=15, grow_mib=options.disk_mib,
                     log_path=os.path.join(work, "daemon.log"))
    disk.mount()
    key_file = os.path.join(work, "secret", "api-key")
    setup.write_key(key_file, key)
    faults = os.path.join(work, "emulator", "faults.json")
    setup.write_faults(faults, options.seed)
    emulator = Emulator(os.path.join(binaries, "gemini-emulator"), key, os.path.join(work, "emulator"),
                        faults, latency_max_ms=2000, seed=options.seed)
    good_photo = next(i.source for i in items if i.reason == "good" and i.source.endswith(".jpg"))
    traps = Traps(work, folders["alpha"], good_photo, random.Random(options.seed + 1))
    traps.plant()
    daemon = None
    try:
        emulator.start()
        config = os.path.join(work, "dropsight.toml")
        setup.write_config(config, emulator.base_url, key_file, os.path.join(work, "state"), folders)
        daemon = Daemon(os.path.join(binaries, "dropsight"), config, work)
        daemon.start()
        interruptions = run_chaos(options, chaos_s, items, folders, disk, daemon, emulator, chooser, traps)
        traps.finish()
        finished: set = set()
        drain_end = time.monotonic() + drain_s
        while time.monotonic() < drain_end:
            disk.tick()
            if not daemon.alive():
                print("chaos: the daemon exited on its own; restarting it")
                daemon.start()
            if pending_sidecars(items, folders, finished) == 0:
                break
            time.sleep(1)
        left = pending_sidecars(items, folders, finished)
        print(f"chaos: drained in {time.monotonic() - (drain_end - drain_s):.0f} s, {left} files without a final sidecar")
        status = daemon.stop()
        emulator.stop()
        results = checks.Results()
        print()
        checks.check_images(results, items, folders, daemon.log_path)
        checks.check_files(results, items, folders, allowed=traps.allowed_sidecars())
        problems = traps.problems()
        results.record(not problems, "link traps: nothing outside changed; the planted FIFO, link and linked folder "
                       "not taken; photos swapped for a link: ok from before, or symbolic_link",
                       f"{len(traps.swapped)} swaps, {len(traps.planted)} planted", problems)
        checks.check_database(results, os.path.join(work, "state", "dropsight.sqlite3"))
        log = checks.read_log(emulator.log_file)
        checks.check_resends(results, log, interruptions)
        checks.check_faults(results, log, daemon, emulator, disk, minimum_kills=max(1, int(chaos_s // 40)))
        checks.check_secret(results, key, [daemon.log_path, os.path.join(work, "drop"), os.path.join(work, "state"),
                                           emulator.log_file, os.path.join(work, "emulator", "emulator.out")],
                            daemon.command_lines)
        checks.check_memory(results, daemon, options.rss_limit_mib)
        results.record(status == 0, "the daemon stopped cleanly on SIGTERM", f"exit status {status}")
        if results.failed:
            shutil.copytree(folders["gamma"], os.path.join(work, "drop", "gamma-copy"), symlinks=True)
        print(f"chaos: artefacts in {work} (daemon.log, emulator/requests.jsonl"
              + (", drop/gamma-copy: the small disk's files)" if results.failed else ")"))
        print(f"chaos: {time.monotonic() - started:.0f} s in all")
        print(f"{results.passed} passed, {results.failed} failed")
        return 0 if results.failed == 0 else 1
    finally:
        if daemon:
            daemon.kill()
            daemon.close()
        emulator.kill()
        disk.unmount()


def run_chaos(options, chaos_s, items, folders, disk, daemon, emulator, chooser, traps) -> list[float]:
    """Drops the files on schedule and kills things; returns the wall-clock times of every kill."""
    start = time.monotonic()
    next_swap = 5.0
    next_kill = start + chooser.uniform(10, 40)
    emulator_restart = start + chaos_s / 2
    interruptions = []
    waiting = list(items)
    last_report = start
    while True:
        now = time.monotonic()
        elapsed = now - start
        if elapsed >= chaos_s and not waiting:
            return interruptions + daemon.kills
        if elapsed >= next_swap and elapsed < chaos_s * 0.6:
            traps.drop_for_swap(elapsed)
            next_swap = elapsed + chooser.uniform(5, 15)
        traps.tick(elapsed)
        small_disk_full = False
        for item in [i for i in waiting if i.at <= elapsed]:
            if item.folder == "gamma" and small_disk_full:
                continue   # the small disk is full: its drops wait, the other folders' go on
            if drop_one(item, folders, disk, chooser):
                waiting.remove(item)
            elif item.folder == "gamma":
                small_disk_full = True
        if disk.tick():
            print(f"chaos: {elapsed:5.0f} s  small disk full for 15 s, grown to {disk.size_mib} MiB")
        if now >= next_kill and elapsed < chaos_s:
            daemon.kill()
            daemon.start()
            next_kill = now + chooser.uniform(10, 40)
            print(f"chaos: {elapsed:5.0f} s  daemon SIGKILLed and restarted ({len(daemon.kills)})")
        elif not daemon.alive():
            print(f"chaos: {elapsed:5.0f} s  the daemon exited on its own; restarting it")
            daemon.start()
        if emulator_restart and now >= emulator_restart:
            emulator.kill()
            interruptions.append(time.time())
            time.sleep(chooser.uniform(1, 3))
            emulator.start()
            emulator_restart = 0
            print(f"chaos: {elapsed:5.0f} s  emulator SIGKILLed and restarted on port {emulator.port}")
        if now - last_report >= 30:
            last_report = now
            print(f"chaos: {elapsed:5.0f} s  {sum(i.dropped for i in items)} of {len(items)} dropped")
        time.sleep(0.05)


def drop_one(item, folders, disk, chooser) -> bool:
    """Drops one file; False when it does not fit on the small disk yet."""
    target = item.destination(folders)
    if item.folder == "gamma" and photos.size_of(item) + 2 * 1024 * 1024 > disk.free_bytes():
        disk.note_full()
        return False
    try:
        photos.drop(item, target, chooser)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        # What a person does when a copy fails for lack of space: remove the half-copied file, try later.
        for leftover in [target] + [os.path.join(folders[item.folder], n) for n in os.listdir(folders[item.folder])
                                    if n.startswith(".incoming-")]:
            if os.path.lexists(leftover):
                os.remove(leftover)
        disk.note_full()
        return False
    item.dropped = True
    return True


if __name__ == "__main__":
    sys.exit(main())
