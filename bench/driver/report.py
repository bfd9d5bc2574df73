"""Medians, ratios and the Markdown table of docs/benchmarks.md."""

import math
import statistics


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (p99 of 20 samples is the largest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None or theirs == 0:
        return "n/a"
    return f"{mine / theirs:.2f}"


# (scenario, key, label, digits, scale, lower is better)
BATCH_ROWS = [
    ("a", "wall_s", "(a) wall time to the last sidecar, s", 1, 1, True),
    ("a", "cpu_s", "(a) CPU time after ready, s", 1, 1, True),
    ("a", "cpu_per_image_s", "(a) CPU time per photo, s", 2, 1, True),
    ("a", "rss_mib", "(a) peak RSS, MiB", 0, 1, True),
    ("a", "overlay_mb", "(a) overlay PNG, median MB", 2, 1, True),
    ("b", "wall_s", "(b) wall time, 300 ms latency + 600 rpm, s", 1, 1, True),
    ("b", "status_429", "(b) 429 answers received", 0, 1, True),
    ("a", "bytes_per_image", "(c) bytes sent to the API per image, MB", 2, 1e-6, True),
    ("a", "requests_per_image", "(c) API requests per image", 2, 1, True),
    ("a", "tokens_per_image", "(c) prompt tokens per image (from sidecars)", 0, 1, True),
]


def summarise(results: dict) -> list[dict]:
    """Rows of {label, dropsight, baseline, ratio, behind} from results[scenario][contender] = [runs]."""
    rows = []
    for scenario, key, label, digits, scale, lower_better in BATCH_ROWS:
        values = {}
        for contender in ("dropsight", "baseline"):
            runs = results.get(scenario, {}).get(contender, [])
            value = median([r.get(key) for r in runs])
            values[contender] = value * scale if value is not None else None
        rows.append(row(label, values, digits, lower_better))
    for label, fraction in (("(d) drop-to-request latency p50, ms", 0.50), ("(d) drop-to-request latency p99, ms", 0.99)):
        values = {}
        for contender in ("dropsight", "baseline"):
            samples = [s for run in results.get("d", {}).get(contender, []) for s in run.get("latencies_s", [])]
            value = percentile(samples, fraction)
            values[contender] = value * 1000 if value is not None else None
        rows.append(row(label, values, 0, True))
    return rows


def row(label: str, values: dict, digits: int, lower_better: bool) -> dict:
    mine, theirs = values["dropsight"], values["baseline"]
    behind = mine is not None and theirs is not None and (mine > theirs if lower_better else mine < theirs)
    return {"label": label, "dropsight": fmt(mine, digits), "baseline": fmt(theirs, digits),
            "ratio": ratio(mine, theirs), "behind": behind}


def table(rows: list[dict]) -> str:
    lines = ["| measure | dropsight | baseline | dropsight / baseline |", "|---|---:|---:|---:|"]
    for r in rows:
        mark = " (behind)" if r["behind"] else ""
        lines.append(f"| {r['label']} | {r['dropsight']} | {r['baseline']} | {r['ratio']}{mark} |")
    return "\n".join(lines)


def run_counts(results: dict) -> str:
    parts = []
    for scenario in sorted(results):
        for contender, runs in sorted(results[scenario].items()):
            if scenario == "d":
                got = sum(r.get("measured", 0) for r in runs)
                want = sum(r.get("images", 0) for r in runs)
            else:
                got = sum(r.get("finished", 0) for r in runs)
                want = sum(r.get("images", 0) for r in runs)
            plural = "" if len(runs) == 1 else "s"
            parts.append(f"({scenario}) {contender}: {len(runs)} run{plural}, {got}/{want} images")
    return "; ".join(parts)


def floor_lines(floor: dict | None, results: dict) -> list[str]:
    """The libvips floor and dropsight's CPU per photo as a multiple of it."""
    if not floor:
        return []
    mine = median([r.get("cpu_per_image_s") for r in results.get("a", {}).get("dropsight", [])])
    multiple = f"{mine / floor['cpu_per_photo_s']:.1f}x" if mine and floor["cpu_per_photo_s"] > 0 else "n/a"
    return [
        f"libvips' floor: `vipsthumbnail` makes the copy dropsight sent (long side {floor['long_side']}, upright,",
        f"JPEG Q90, no metadata) of the same {floor['photos']} photos in one process for "
        f"{floor['cpu_per_photo_s']:.3f} s of CPU per photo (its start-up, {floor['startup_s']:.3f} s, subtracted).",
        f"dropsight's CPU per photo in (a), {fmt(mine, 3)} s for three prompts with overlays, is **{multiple}** that floor.",
        "",
    ]


def markdown(machine: dict, settings: dict, rows: list[dict], results: dict, notes: list[str],
             floor: dict | None = None) -> str:
    behind = [r["label"] for r in rows if r["behind"]]
    text = [
        "# Benchmarks: dropsight against the docs-style baseline",
        "",
        "Written by `bench/run-bench`; rerun it to refresh. Each figure is the median over the repeated runs",
        "(the latency percentiles pool every single-photo drop); runs of the two daemons alternate, against the",
        "same emulator, on the same generated photos.",
        "",
        f"- Date: {machine['date']}",
        f"- Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['memory']} memory, "
        f"Linux {machine['kernel']}, Python {machine['python']}; load average at the start: {machine['load']}",
        f"- Settings: {settings['photos']} photos of {settings['size']} (JPEG, every 4th with EXIF orientation 6/3/8), "
        f"3 prompts each (caption, detect, segment), repeats: {settings['repeats']}, "
        f"{settings['singles']} single drops per repeat for (d); scenarios run: {settings['scenarios']}",
        f"- dropsight: `max_concurrency = {settings.get('concurrency', 8)}`, `settle_ms = {settings.get('settle_ms', 200)}`, `requests_per_minute` 0 in (a), (c), (d) and 600 in (b)",
        f"- Runs: {run_counts(results)}",
        "",
        table(rows),
        "",
        *floor_lines(floor, results),
        "Scenarios: (a) every photo dropped at once, emulator answering at once; (b) the same with",
        "`--latency-ms 300 --rpm 600`; (c) from the runs of (a), bytes are request bodies as the emulator",
        "logged them; (d) one photo at a time, each after the previous one's outputs, latency from the",
        "rename into the folder to the first API request the emulator logged for it.",
        "CPU time counts from the moment the daemon was ready (so interpreter and library start-up are",
        "left out); peak RSS is the process's whole-life maximum (`ru_maxrss`). The emulator's own CPU",
        "(it decodes every image it is sent) is in neither column, but it shares the machine with both.",
        "",
        "The baseline (`bench/baseline/`) is the page's Python lifted into an inotify loop: for each new",
        "file, one at a time, the caption call sends the file's bytes inline, the detection call sends the",
        "Pillow image (the SDK re-encodes it as JPEG) in JSON mode and converts `box_2d` with the page's",
        "arithmetic, and the segmentation call sends a 1024-pixel thumbnail with thinking off, strips the",
        "fence with the page's `parse_json` and draws each mask with the page's per-pixel loop. No retries;",
        "EXIF orientation is not applied (the page does not), so its boxes for rotated photos are in",
        "stored-pixel coordinates.",
        "",
    ]
    if behind:
        text += ["Where dropsight is behind: " + "; ".join(behind) + ". See the notes below.", ""]
    if notes:
        text += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(text)
