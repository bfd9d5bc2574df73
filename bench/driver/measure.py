"""One measured run of one daemon: drop photos, wait for sidecars, read the emulator's log."""

import json
import os
import shutil
import statistics
import time

from .emulator import Emulator, parse_time

POLL_S = 0.1


def stage(photos: str, names: list[str], staging: str) -> None:
    """Copies the photos next to the watched folder (same file system, so a drop is one rename)."""
    os.makedirs(staging, exist_ok=True)
    for name in names:
        shutil.copyfile(os.path.join(photos, name), os.path.join(staging, name))


def wait_all(finished, paths: list[str], daemon, deadline_s: float) -> tuple[int, float | None]:
    """Polls until every image is finished; (how many finished, time the last sidecar was written)."""
    pending = set(paths)
    last = None
    give_up = time.monotonic() + deadline_s
    while pending and time.monotonic() < give_up:
        for path in list(pending):
            if finished(path):
                pending.discard(path)
        if pending:
            if not daemon.alive():
                break
            time.sleep(POLL_S)
    done = [p for p in paths if p not in pending]
    for path in done:
        written = os.stat(type(daemon).sidecar(path)).st_mtime
        last = written if last is None else max(last, written)
    return len(done), last


def api_requests(emulator: Emulator) -> list[dict]:
    return [r for r in emulator.requests() if not r.get("path", "").startswith("/_emulator/")]


def request_kinds(log: list[dict]) -> dict:
    """How many requests of each kind: `generateContent`, `upload start`, `upload finalize`, ..."""
    kinds: dict = {}
    for entry in log:
        path = entry.get("path", "")
        if "/upload/" in path:
            kind = "upload " + (entry.get("command") or "?").replace(", ", "+")
        elif ":" in path:
            kind = path.rsplit(":", 1)[1]
        else:
            kind = f"{entry.get('method', '?')} {path.split('/')[2] if path.count('/') >= 2 else path}"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def tokens_in(value) -> int:
    """Prompt tokens named anywhere in a sidecar (keys vary between the two daemons' sidecars)."""
    names = {"prompt", "prompttokencount", "prompt_token_count", "prompttokens", "prompt_tokens",
             "inputtokens", "input_tokens"}
    if isinstance(value, dict):
        total = 0
        for key, item in value.items():
            if key.lower() in names and isinstance(item, int):
                total += item
            else:
                total += tokens_in(item)
        return total
    if isinstance(value, list):
        return sum(tokens_in(item) for item in value)
    return 0


def sidecar_tokens(sidecar_of, paths: list[str]) -> float | None:
    counts = []
    for path in paths:
        try:
            with open(sidecar_of(path)) as handle:
                counts.append(tokens_in(json.load(handle)))
        except (OSError, ValueError):
            continue
    return sum(counts) / len(counts) if counts and any(counts) else None


def sent_long_side(sidecar_of, paths: list[str]) -> int | None:
    """The largest long side of the copies dropsight's sidecars say were sent (None for the baseline)."""
    sides = []
    for path in paths:
        try:
            with open(sidecar_of(path)) as handle:
                prompts = json.load(handle).get("prompts", {})
        except (OSError, ValueError):
            continue
        for result in prompts.values() if isinstance(prompts, dict) else []:
            sent = result.get("sent") if isinstance(result, dict) else None
            if isinstance(sent, dict) and isinstance(sent.get("width"), int) and isinstance(sent.get("height"), int):
                sides.append(max(sent["width"], sent["height"]))
    return max(sides) if sides else None


def overlay_sizes(paths: list[str]) -> list[int]:
    """Bytes of every overlay PNG (`IMG.jpg.NAME.png`) beside the photos."""
    sizes = []
    for path in paths:
        folder, name = os.path.split(path)
        for entry in os.scandir(folder):
            if entry.name.startswith(name + ".") and entry.name.endswith(".png") and ".mask-" not in entry.name:
                sizes.append(entry.stat().st_size)
    return sizes


def batch(daemon, emulator: Emulator, staging: str, folder: str, names: list[str], deadline_s: float) -> dict:
    """Drops every photo at once into `folder` and measures until the last sidecar."""
    paths = [os.path.join(folder, n) for n in names]
    started = time.time()
    for name in names:
        os.rename(os.path.join(staging, name), os.path.join(folder, name))
    done, last = wait_all(type(daemon).finished, paths, daemon, deadline_s)
    cpu, rss = daemon.finish()
    log = api_requests(emulator)
    return {
        "images": len(names),
        "finished": done,
        "wall_s": (last - started) if last is not None and done == len(names) else None,
        "cpu_s": cpu,
        "rss_mib": rss,
        "requests": len(log),
        "status_429": sum(1 for r in log if r.get("status") == 429),
        "errors": sum(1 for r in log if r.get("status", 0) >= 400 or r.get("status") == 0),
        "bytes_per_image": sum(r.get("bytes", 0) for r in log) / len(names),
        "requests_per_image": len(log) / len(names),
        "request_kinds": request_kinds(log),
        "tokens_per_image": sidecar_tokens(type(daemon).sidecar, paths),
        "cpu_per_image_s": cpu / len(names),
        "sent_long_side": sent_long_side(type(daemon).sidecar, paths),
        "overlay_mb": (statistics.median(overlay_sizes(paths)) / 1e6) if overlay_sizes(paths) else None,
    }


def singles(daemon, emulator: Emulator, staging: str, folder: str, names: list[str], deadline_s: float) -> dict:
    """Drops photos one at a time, each after the previous is finished; latency = drop to first API request."""
    drops = []
    give_up = time.monotonic() + deadline_s
    for name in names:
        path = os.path.join(folder, name)
        dropped = time.time()
        os.rename(os.path.join(staging, name), path)
        drops.append(dropped)
        done, _ = wait_all(type(daemon).finished, [path], daemon, max(1.0, give_up - time.monotonic()))
        if not done:
            break
    daemon.finish()
    received = sorted(parse_time(r["time"]) for r in api_requests(emulator) if "time" in r)
    latencies = []
    for index, dropped in enumerate(drops):
        # Only a request before the next drop can belong to this photo.
        until = drops[index + 1] if index + 1 < len(drops) else float("inf")
        first = next((t for t in received if dropped <= t < until), None)
        if first is not None:
            latencies.append(first - dropped)
    return {"images": len(names), "measured": len(latencies), "latencies_s": latencies}
