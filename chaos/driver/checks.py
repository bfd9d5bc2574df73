"""The final checks of a chaos run: each prints one line, PASS or FAIL, with what it found."""

import datetime
import hashlib
import json
import os
import re
import sqlite3
import xml.etree.ElementTree as ElementTree

from .setup import FOLDER_PROMPTS, OVERLAY_KINDS, XMP_FOLDERS

SIDECAR_SUFFIX = ".dropsight.json"
TEMPORARY_MARK = ".dropsight-tmp-"
SHOWN = 5   # examples printed per failed check
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XMP_FIELDS = {"subject": "{http://purl.org/dc/elements/1.1/}subject",
              "hierarchical": "{http://ns.adobe.com/lightroom/1.0/}hierarchicalSubject",
              "description": "{http://purl.org/dc/elements/1.1/}description"}


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def record(self, ok: bool, title: str, detail: str = "", examples: list[str] = ()) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'}  {title}" + (f": {detail}" if detail else ""))
        for example in list(examples)[:SHOWN]:
            print(f"        {example!r}" if "\n" in example else f"        {example}")


def read_sidecar(path: str) -> tuple[dict | None, str]:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read()), ""
    except FileNotFoundError:
        return None, "no sidecar"
    except (OSError, ValueError) as error:
        return None, f"sidecar unreadable: {error}"


def disk_name(shown: str) -> str:
    """The file name a sidecar shows, as it is on disk: dropsight writes each byte of a name that is not
    UTF-8 as `\\xHH` (HH 80-FF, or 5C for a backslash before an `x`); Python names such bytes with
    surrogate escapes."""
    raw = re.sub(rb"\\x([89A-Fa-f][0-9A-Fa-f]|5[Cc])", lambda m: bytes([int(m.group(1), 16)]),
                 shown.encode("utf-8", "surrogateescape"))
    return os.fsdecode(raw)


def crash_quarantines(daemon_log: str) -> set:
    """(image path, prompt) pairs the daemon quarantined because they were in flight at two abnormal ends in a
    row: the chaos run's SIGKILLs look exactly like crashes, so this is the designed answer, not a loss."""
    pairs = set()
    try:
        with open(daemon_log, "rb") as handle:
            for line in handle:
                found = re.search(rb" (/\S.*): (\w+) quarantined \(crashed_the_daemon\): in flight at two abnormal ends", line)
                if found:
                    pairs.add((disk_name(found.group(1).decode("utf-8", "surrogateescape")), found.group(2).decode()))
    except OSError:
        pass
    return pairs


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def problems_with_good(item, folders: dict, quarantined: set = frozenset()) -> str:
    """Why this image's sidecar is not one complete record with every prompt ok ('' when it is); a prompt the
    daemon quarantined after two kills in a row (`quarantined`) may end `crashed_the_daemon`."""
    path = item.destination(folders)
    sidecar, why = read_sidecar(path + SIDECAR_SUFFIX)
    if sidecar is None:
        return why
    if sidecar.get("schema_version") != 1:
        return "schema_version is not 1"
    if sidecar.get("image", {}).get("sha256") != sha256_of(path):
        return "image.sha256 does not match the file"
    prompts = sidecar.get("prompts", {})
    wanted = FOLDER_PROMPTS[item.folder]
    if sorted(prompts) != sorted(wanted):
        return f"prompts {sorted(prompts)} instead of {sorted(wanted)}"
    for name in wanted:
        result = prompts[name]
        if (path, name) in quarantined and (result.get("error") or {}).get("code") == "crashed_the_daemon":
            continue
        if result.get("status") != "ok":
            return f"{name}: {result.get('status')} {result.get('error')}"
        if result.get("kind") in OVERLAY_KINDS:
            overlay = result.get("overlay")
            overlay_path = os.path.join(os.path.dirname(path), disk_name(overlay or ""))
            if not overlay or not os.path.isfile(overlay_path):
                return f"{name}: overlay {overlay!r} missing (notes: {result.get('notes')})"
            with open(overlay_path, "rb") as handle:
                if handle.read(8) != b"\x89PNG\r\n\x1a\n":
                    return f"{name}: overlay {overlay} is not a PNG"
    if item.folder in XMP_FOLDERS:
        return problems_with_xmp(path, prompts)
    return ""


def xmp_items(root, tag: str) -> list[str]:
    """The rdf:li texts of every `tag` property in the packet."""
    return [li.text or "" for node in root.iter(tag) for li in node.iter(RDF + "li")]


def problems_with_xmp(path: str, prompts: dict) -> str:
    """Why the XMP sidecar beside `path` disagrees with the JSON sidecar's `prompts` ('' when it agrees)."""
    try:
        root = ElementTree.parse(path + ".xmp").getroot()
    except (OSError, ElementTree.ParseError) as error:
        return f"XMP sidecar: {error}"
    keywords = prompts.get("keywords", {}).get("keywords", [])
    leaves = []
    for keyword in keywords:
        leaf = keyword.split("|")[-1]
        if leaf.lower() not in {seen.lower() for seen in leaves}:
            leaves.append(leaf)
    if xmp_items(root, XMP_FIELDS["subject"]) != leaves:
        return f"XMP dc:subject {xmp_items(root, XMP_FIELDS['subject'])} instead of {leaves}"
    if xmp_items(root, XMP_FIELDS["hierarchical"]) != keywords:
        return f"XMP lr:hierarchicalSubject {xmp_items(root, XMP_FIELDS['hierarchical'])} instead of {keywords}"
    caption = (prompts.get("caption", {}).get("text") or "").strip()
    if xmp_items(root, XMP_FIELDS["description"]) != ([caption] if caption else []):
        return f"XMP dc:description {xmp_items(root, XMP_FIELDS['description'])} instead of {caption!r}"
    return ""


def problems_with_bad(item, folders: dict) -> str:
    """Why this hostile file lacks a sidecar with a clear error ('' when it has one, or may have none)."""
    sidecar, why = read_sidecar(item.destination(folders) + SIDECAR_SUFFIX)
    if sidecar is None:
        return "" if item.expect == "error-or-ignored" and why == "no sidecar" else why
    prompts = sidecar.get("prompts", {})
    if sorted(prompts) != sorted(FOLDER_PROMPTS[item.folder]):
        return f"prompts {sorted(prompts)}"
    if item.expect == "ok-or-error" and all(r.get("status") == "ok" for r in prompts.values()):
        return problems_with_good(item, folders)
    for name, result in prompts.items():
        error = result.get("error") or {}
        if result.get("status") != "error" or not error.get("code") or len(error.get("message", "")) < 10:
            return f"{name}: status {result.get('status')}, error {error}"
    return ""


def check_images(results: Results, items: list, folders: dict, daemon_log: str) -> None:
    good = [i for i in items if i.expect == "ok"]
    quarantined = crash_quarantines(daemon_log)
    bad = [i for i in items if i.expect != "ok"]   # error, error-or-ignored, ok-or-error
    missing = [i for i in items if not i.dropped]
    results.record(not missing, "every file was dropped", f"{len(items) - len(missing)} of {len(items)}",
                   [i.name for i in missing])
    wrong = [(i, problems_with_good(i, folders, quarantined)) for i in good]
    wrong = [(i, why) for i, why in wrong if why]
    results.record(not wrong, "every good image has one complete sidecar with every prompt ok (and an XMP sidecar that agrees)",
                   f"{len(good) - len(wrong)} of {len(good)}"
                   + (f"; {len(quarantined)} prompt(s) in flight at two kills in a row quarantined as crashed_the_daemon"
                      if quarantined else ""),
                   [f"{i.folder}/{i.name}: {why}" for i, why in wrong])
    wrong = [(i, problems_with_bad(i, folders)) for i in bad]
    wrong = [(i, why) for i, why in wrong if why]
    codes = {}
    for item in bad:
        sidecar, _ = read_sidecar(item.destination(folders) + SIDECAR_SUFFIX)
        for result in (sidecar or {}).get("prompts", {}).values():
            code = (result.get("error") or {}).get("code", "?")
            codes[code] = codes.get(code, 0) + 1
    results.record(not wrong, "every bad file has a sidecar with a clear error (damaged but decodable: all ok, or all errors)",
                   f"{len(bad) - len(wrong)} of {len(bad)}; codes {dict(sorted(codes.items()))}",
                   [f"{i.folder}/{i.name} ({i.reason}): {why}" for i, why in wrong])


def walk(top: str):
    for directory, subdirectories, files in os.walk(top):
        for name in files + subdirectories:
            yield directory, name


def check_files(results: Results, items: list, folders: dict, allowed: set = frozenset()) -> None:
    """No sidecar but those of the dropped items (and `allowed` ones), no temporary file."""
    expected = {i.destination(folders) + SIDECAR_SUFFIX for i in items} | set(allowed)
    strays = []
    temporaries = []
    for folder in folders.values():
        for directory, name in walk(folder):
            path = os.path.join(directory, name)
            if TEMPORARY_MARK in name:
                temporaries.append(path)
            elif name.endswith(SIDECAR_SUFFIX) and path not in expected:
                strays.append(path)
    results.record(not strays, "no sidecar without its image, none twice", f"{len(strays)} stray", strays)
    results.record(not temporaries, "no temporary files left", f"{len(temporaries)} found", temporaries)


def check_database(results: Results, database: str) -> None:
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        mode = os.stat(database).st_mode & 0o777
        connection.close()
    except sqlite3.Error as error:
        verdict, mode = [str(error)], 0
    results.record(verdict == ["ok"], "PRAGMA integrity_check", "; ".join(verdict)[:200])
    results.record(mode & 0o077 == 0, "the database is private", f"mode {mode:o}")


def parse_time(text: str) -> float:
    base, _, fraction = text.rstrip("Z").partition(".")
    moment = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp() + (float("0." + fraction) if fraction else 0.0)


def read_log(path: str) -> list[dict]:
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, "rb") as handle:
        for line in handle:
            try:
                entries.append(json.loads(line))
            except ValueError:
                pass   # a line cut by the emulator's SIGKILL
    return entries


def check_resends(results: Results, log: list[dict], interruptions: list[float]) -> None:
    """A clean answer to (model, prompt, image bytes) followed by the same request again is a lost
    result, unless the daemon or the emulator was killed in between (the answer may never have been
    recorded)."""
    answered: dict = {}
    resent = []
    clean = 0
    excused = 0   # asked again after a kill that may have lost the answer
    for entry in sorted(log, key=lambda e: parse_time(e["time"])):
        if ":generateContent" not in entry.get("path", ""):
            continue
        key = (entry.get("model"), entry.get("promptText"), tuple(entry.get("mediaSHA256") or ()))
        moment = parse_time(entry["time"])
        if key in answered:
            earlier = answered[key]
            if any(earlier <= kill <= moment for kill in interruptions):
                excused += 1
            else:
                resent.append(f"{entry['time']} {key[0]} {(key[1] or '')[:40]!r} {key[2][:1]} (answered at "
                              f"{datetime.datetime.fromtimestamp(earlier, datetime.timezone.utc):%H:%M:%S.%f})")
        if entry.get("status") == 200 and not entry.get("fault"):
            answered[key] = moment
            clean += 1
    results.record(clean > 0 and not resent, "no prompt re-sent after a clean answer (without a kill in between)",
                   f"{clean} clean answers; asked again: {excused} after a kill, {len(resent)} without", resent)


def check_faults(results: Results, log: list[dict], daemon, emulator, disk, minimum_kills: int) -> None:
    faults: dict = {}
    for entry in log:
        fault = entry.get("fault")
        if fault:
            where = "upload" if "/upload/" in entry.get("path", "") else "api"
            faults[f"{fault} ({where})"] = faults.get(f"{fault} ({where})", 0) + 1
    needed = ["status 500", "status 503", "status 429", "drop", "cutOff"]
    absent = [name for name in needed if not any(key.startswith(name) for key in faults)]
    results.record(not absent, "faults injected", f"{len(log)} requests; " + ", ".join(
        f"{k} x{v}" for k, v in sorted(faults.items())), [f"never injected: {n}" for n in absent])
    results.record(len(daemon.kills) >= minimum_kills and emulator.starts == 2,
                   "daemon SIGKILLed and restarted, emulator restarted once",
                   f"{len(daemon.kills)} kills (at least {minimum_kills}), {daemon.starts} daemon starts, "
                   f"{emulator.starts} emulator starts")
    results.record(disk.times_full >= 1, "the small disk filled up and the daemon got past it",
                   f"full {disk.times_full} times, grown {disk.times_grown} times to {disk.size_mib} MiB")


def check_secret(results: Results, key: str, places: list[str], command_lines: set[bytes]) -> None:
    needle = key.encode()
    found = []
    scanned = 0
    for place in places:
        paths = [place] if os.path.isfile(place) else [os.path.join(d, n) for d, n in walk(place)]
        for path in paths:
            if os.path.isfile(path) and not os.path.islink(path):
                scanned += 1
                with open(path, "rb") as handle:
                    if needle in handle.read():
                        found.append(path)
    found += ["the daemon's command line or environment" for line in command_lines if needle in line][:1]
    results.record(not found, "the API key is in no log, sidecar, overlay or database file, argv or environment",
                   f"{scanned} files scanned", found)


def check_memory(results: Results, daemon, limit_mib: int) -> None:
    peak = daemon.peak_rss_kib / 1024
    results.record(0 < peak <= limit_mib, "the daemon's memory stayed bounded",
                   f"peak RSS {peak:.0f} MiB (limit {limit_mib} MiB)")
