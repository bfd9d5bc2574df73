"""The files a chaos run starts from: the daemon's configuration, its key file, the fault script."""

import json
import os

# Which prompts each folder runs: three prompts (one Files API upload shared), a JSON prompt with
# keywords and a caption written to XMP sidecars too (inline), and two on the small disk (overlays
# that fill it).
FOLDER_PROMPTS = {
    "alpha": ["caption", "detect", "segment"],
    "beta": ["tags", "keywords", "caption"],
    "gamma": ["caption", "detect"],
}
OVERLAY_KINDS = {"detect", "segment"}
# Folders with `xmp = true`: their XMP sidecars must agree with the JSON ones after every kill.
XMP_FOLDERS = {"beta"}

PROMPTS = """
[prompt.caption]
kind = "text"
text = "Write a one-sentence caption for this photo."
xmp = "description"

[prompt.keywords]
kind = "keywords"
max_keywords = 10

[prompt.detect]
kind = "detect"

[prompt.segment]
kind = "segment"

[prompt.tags]
kind = "json"
text = "List the colours of the objects in this photo and how many objects there are."
schema = '{"type": "object", "properties": {"colors": {"type": "array", "items": {"type": "string"}}, "count": {"type": "integer"}}, "required": ["colors", "count"]}'
"""

# The faults of issue 8, as shares of every API request (uploads included): rules are tried in
# order and each roll is independent, so the later shares are of what the earlier ones let through.
FAULTS = [
    {"route": "any", "probability": 0.05, "status": 500},
    {"route": "any", "probability": 0.0526, "status": 503},
    {"route": "any", "probability": 0.0556, "status": 429, "retryAfterSeconds": 2},
    {"route": "upload", "command": "upload, finalize", "probability": 0.0235, "action": "drop",
     "afterBytes": 65536},
    {"route": "any", "probability": 0.0235, "action": "drop"},
    {"route": "generateContent", "probability": 0.0120, "action": "cutOff"},
]


def write_key(path: str, key: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")


def write_faults(path: str, seed: int) -> None:
    with open(path, "w") as handle:
        json.dump({"seed": seed, "faults": FAULTS}, handle, indent=1)


def write_config(path: str, base_url: str, key_file: str, state: str, folders: dict) -> None:
    lines = [
        "[api]",
        f'base_url = "{base_url}"',
        f'key_file = "{key_file}"',
        "max_concurrency = 8",
        'batch = "off"',
        'request_timeout = "30s"',
        "",
        "[state]",
        f'dir = "{state}"',
        'shutdown_grace = "5s"',
        "",
    ]
    for name, prompts in FOLDER_PROMPTS.items():
        lines += ["[[folder]]", f'path = "{folders[name]}"',
                  "prompts = [" + ", ".join(f'"{p}"' for p in prompts) + "]", "settle_ms = 500"]
        lines += ["xmp = true", ""] if name in XMP_FOLDERS else [""]
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + PROMPTS)
