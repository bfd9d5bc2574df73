#!/usr/bin/env python3
"""The docs-style drop-folder daemon that dropsight is benchmarked against.

Watches one folder with inotify_simple (IN_CLOSE_WRITE | IN_MOVED_TO) and, for each new image,
one at a time, runs the three calls of docs_prompts (caption, detect, segment) with no retries,
then writes IMG.jpg.baseline.json (caption, boxes in pixels, mask count, token usage, errors)
and the overlay IMG.jpg.baseline.png beside the image.

    GEMINI_API_KEY=... daemon.py FOLDER [--base-url URL] [--exit-after N]

Prints "watching FOLDER" once the watch is in place, and one line per image processed.
"""

import argparse
import json
import os
import sys
import time

from google import genai
from google.genai import types
from inotify_simple import INotify, flags

import docs_prompts

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
OUTPUT_MARK = ".baseline."


def is_input_image(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES) and OUTPUT_MARK not in name and not name.startswith(".")


def write_json_atomically(path: str, value: dict) -> None:
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, "." + name + ".tmp")
    with open(temporary, "w") as handle:
        json.dump(value, handle, indent=1, ensure_ascii=False)
    os.replace(temporary, path)


def process(client: genai.Client, image_path: str) -> dict:
    """Runs the three prompts on one image; a failed prompt is recorded, never retried."""
    result = {"image": os.path.basename(image_path), "errors": {}, "usage": {}}
    overlay_path = image_path + OUTPUT_MARK + "png"
    steps = {
        "caption": lambda: docs_prompts.caption(client, image_path),
        "detect": lambda: docs_prompts.detect(client, image_path),
        "segment": lambda: docs_prompts.segment(client, image_path, overlay_path),
    }
    for name, step in steps.items():
        try:
            value, usage = step()
        except Exception as error:  # noqa: BLE001 - the docs' code has no error handling; record and go on
            result["errors"][name] = f"{type(error).__name__}: {error}"
            continue
        result["usage"][name] = usage
        if name == "caption":
            result["caption"] = value
        elif name == "detect":
            result["boxes"] = value
        else:
            result["mask_count"] = value
            result["overlay"] = os.path.basename(overlay_path)
    write_json_atomically(image_path + OUTPUT_MARK + "json", result)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="Docs-style Gemini drop-folder daemon (benchmark baseline).")
    parser.add_argument("folder", help="folder to watch")
    parser.add_argument("--base-url", default=os.environ.get("GEMINI_BASE_URL"),
                        help="API base URL, e.g. http://127.0.0.1:8089 (default: $GEMINI_BASE_URL, else Google)")
    parser.add_argument("--exit-after", type=int, default=0, metavar="N",
                        help="exit after N images are processed (0: run until killed)")
    args = parser.parse_args()
    api_key = os.environ.get("GEMINI_API_KEY")
    if not api_key:
        print("baseline: set GEMINI_API_KEY", file=sys.stderr)
        return 2
    http_options = types.HttpOptions(base_url=args.base_url) if args.base_url else None
    client = genai.Client(api_key=api_key, http_options=http_options)

    inotify = INotify()
    inotify.add_watch(args.folder, flags.CLOSE_WRITE | flags.MOVED_TO)
    print(f"watching {args.folder}", flush=True)
    processed = 0
    while args.exit_after == 0 or processed < args.exit_after:
        for event in inotify.read():
            if not is_input_image(event.name):
                continue
            path = os.path.join(args.folder, event.name)
            started = time.monotonic()
            result = process(client, path)
            processed += 1
            failed = ", ".join(sorted(result["errors"])) or "none"
            print(f"{event.name}: {time.monotonic() - started:.2f} s, failed prompts: {failed}", flush=True)
            if args.exit_after and processed >= args.exit_after:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
