"""libvips' floor: the CPU its own command line needs to make the copy dropsight sends, per photo."""

import os
import shutil
import statistics
import subprocess
import tempfile

TOOL = "vipsthumbnail"


def available() -> bool:
    return shutil.which(TOOL) is not None


def child_cpu(command: list[str]) -> float:
    """User + system CPU of one run of `command` (a child of ours), in seconds."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise RuntimeError(f"{command[0]} exited with {process.returncode}: {error.strip()[:300]}")
    return usage.ru_utime + usage.ru_stime


def thumbnail_command(paths: list[str], long_side: int, out: str) -> list[str]:
    """Upright (EXIF applied), shrunk on load to `long_side`, JPEG quality 90 without metadata: the copy
    dropsight sends for a JPEG photo."""
    return [TOOL, "--size", f"{long_side}x{long_side}>", "-o", os.path.join(out, "%s.jpg[Q=90,strip]"), *paths]


def measure(photos: str, names: list[str], long_side: int, repeats: int = 3) -> dict:
    """CPU per photo of `vipsthumbnail` making the send-size copy of every photo in one process, with the
    process's start-up (the same command on one 8x8 JPEG, median of five) subtracted; median of `repeats`."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as work:
        out = os.path.join(work, "out")
        os.mkdir(out)
        tiny = os.path.join(work, "tiny.jpg")
        subprocess.run(["vips", "black", tiny + "[Q=90]", "8", "8"], check=True)
        startup = statistics.median(child_cpu(thumbnail_command([tiny], long_side, out)) for _ in range(5))
        paths = [os.path.join(photos, n) for n in names]
        runs = [child_cpu(thumbnail_command(paths, long_side, out)) for _ in range(repeats)]
    total = statistics.median(runs)
    return {"long_side": long_side, "photos": len(names), "startup_s": startup,
            "cpu_per_photo_s": max(0.0, total - startup) / len(names)}
