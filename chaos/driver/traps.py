"""Link traps: what a folder writer plants to have the daemon read or write outside its folders.

Planted in one watched folder at the start: a FIFO named like a photo, a symlink to a photo outside every
watched folder, and a symlinked subfolder holding a photo. During the run, good photos are dropped and then,
a random moment later (before, during or after the daemon takes them), swapped for a symlink to the outside
photo. The checks: nothing outside changes, the planted traps get no sidecar, and a swapped photo's sidecar
(when it has one) holds only finished results: ok from before the swap, or `symbolic_link`.
"""

import json
import os
import random
import shutil

SIDECAR_SUFFIX = ".dropsight.json"


class Traps:
    def __init__(self, work: str, folder: str, photo: str, chooser: random.Random):
        self.folder = folder
        self.photo = photo
        self.chooser = chooser
        self.outside = os.path.join(work, "outside")
        self.secret = os.path.join(self.outside, "secret.jpg")
        self.planted = [os.path.join(folder, n) for n in ("trap-pipe.jpg", "trap-link.jpg", "trap-album")]
        self.swapped: list[str] = []
        self.pending: list[tuple[float, str]] = []   # (when, path) of photos to swap for a link
        self.before: dict = {}

    def plant(self) -> None:
        os.makedirs(os.path.join(self.outside, "album"))
        shutil.copyfile(self.photo, self.secret)
        shutil.copyfile(self.photo, os.path.join(self.outside, "album", "inside-link.jpg"))
        os.mkfifo(self.planted[0])
        os.symlink(self.secret, self.planted[1])
        os.symlink(os.path.join(self.outside, "album"), self.planted[2])
        self.before = self.listing()

    def drop_for_swap(self, elapsed: float) -> None:
        """Drops a good photo that a random moment later (0-2 s) becomes a symlink to the outside photo."""
        path = os.path.join(self.folder, f"trap-swap-{len(self.swapped) + len(self.pending):03d}.jpg")
        staged = os.path.join(self.folder, ".incoming-trap")
        shutil.copyfile(self.photo, staged)
        os.rename(staged, path)
        self.pending.append((elapsed + self.chooser.uniform(0, 2), path))

    def tick(self, elapsed: float) -> None:
        for due, path in [p for p in self.pending if p[0] <= elapsed]:
            os.remove(path)
            os.symlink(self.secret, path)
            self.swapped.append(path)
            self.pending.remove((due, path))

    def finish(self) -> None:
        self.tick(float("inf"))

    def listing(self) -> dict:
        """Every file outside, with its size and modification time."""
        found = {}
        for directory, _, files in os.walk(self.outside):
            for name in files:
                info = os.lstat(os.path.join(directory, name))
                found[os.path.relpath(os.path.join(directory, name), self.outside)] = (info.st_size, info.st_mtime_ns)
        return found

    def allowed_sidecars(self) -> set:
        return {path + SIDECAR_SUFFIX for path in self.swapped}

    def problems(self) -> list[str]:
        """What went wrong ('' list when nothing did)."""
        found = []
        if self.listing() != self.before:
            found.append(f"the folder outside changed: {sorted(self.listing())} (was {sorted(self.before)})")
        for path in self.planted:
            if os.path.lexists(path + SIDECAR_SUFFIX):
                found.append(f"{os.path.basename(path)} was taken: it has a sidecar")
        for path in self.swapped:
            try:
                with open(path + SIDECAR_SUFFIX) as handle:
                    prompts = json.load(handle).get("prompts", {})
            except FileNotFoundError:
                continue
            except (OSError, ValueError) as error:
                found.append(f"{os.path.basename(path)}: unreadable sidecar: {error}")
                continue
            for name, result in prompts.items():
                code = (result.get("error") or {}).get("code")
                if result.get("status") != "ok" and code != "symbolic_link":
                    found.append(f"{os.path.basename(path)}: {name} is {result.get('status')} ({code})")
        return found
