"""The photos of a chaos run and when each is dropped where."""

import dataclasses
import json
import os
import random
import shutil
import subprocess
import sys

MAKE_PHOTOS = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "make-photos.py")
# (share of the good photos, size): mostly phone-sized shots, some 12 MP ones.
HOSTILE_KINDS = 15
DECODABLE_DAMAGE = {"corrupt"}
SIZES = [(0.45, "1024x768"), (0.45, "1600x1200"), (0.10, "4000x3000")]


@dataclasses.dataclass
class Item:
    """One file to drop: where it comes from, which folder it goes to, and what should happen."""
    name: str
    source: str
    folder: str
    expect: str          # ok, error, error-or-ignored (bench/make-photos.py's manifest) or ok-or-error
    reason: str          # good, or the kind of hostile file
    at: float = 0.0      # seconds after the start of the run
    dropped: bool = False

    def destination(self, folders: dict) -> str:
        return os.path.join(folders[self.folder], self.name)


def generate(pool: str, images: int, bad_share: float, seed: int) -> list[Item]:
    """Writes `images` files under `pool` (bad_share of them hostile) and returns them, unplaced."""
    shutil.rmtree(pool, ignore_errors=True)
    # At least one of each of make-photos.py's 15 hostile kinds, whatever the share.
    bad = max(HOSTILE_KINDS, round(images * bad_share))
    good = images - bad
    batches = []
    left = good
    for index, (share, size) in enumerate(SIZES):
        count = left if index == len(SIZES) - 1 else round(good * share)
        left -= count
        batches.append((["--size", size, "-n", str(count), "--seed", str(seed * 10 + index)], count))
    batches.append((["--bad", "-n", str(bad), "--seed", str(seed * 10 + 9)], bad))
    items = []
    for index, (arguments, count) in enumerate(batches):
        if count == 0:
            continue
        folder = os.path.join(pool, f"batch-{index}")
        subprocess.run([sys.executable, MAKE_PHOTOS, folder, *arguments], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(folder, "manifest.json")) as handle:
            for entry in json.load(handle):
                reason = entry.get("reason", "good")
                # Damaged scan data still decodes (libvips fills the damage, as photo viewers do), so a
                # daemon may describe what is left or refuse it: either, but the same for every prompt.
                expect = "ok-or-error" if reason in DECODABLE_DAMAGE else entry["expect"]
                items.append(Item(name=entry["name"], source=os.path.join(folder, entry["name"]), folder="",
                                  expect=expect, reason=reason))
    return items


def schedule(items: list[Item], folders: list[str], seconds: float, seed: int) -> list[Item]:
    """Spreads the drops over `seconds` at random moments, dealing the files out to the folders."""
    chooser = random.Random(seed)
    chooser.shuffle(items)
    for index, item in enumerate(items):
        item.folder = folders[index % len(folders)]
        item.at = chooser.uniform(0, seconds)
    return sorted(items, key=lambda item: item.at)


def size_of(item: Item) -> int:
    """Bytes the drop needs on the target file system (0 for links and folders)."""
    if os.path.islink(item.source) or os.path.isdir(item.source):
        return 0
    return os.path.getsize(item.source)


def drop(item: Item, target: str, chooser: random.Random) -> None:
    """Puts the file into its folder the way people do: written in place in pieces, or moved in
    whole; symlinks and folders are recreated as they are."""
    if os.path.islink(item.source):
        os.symlink(os.readlink(item.source), target)
    elif os.path.isdir(item.source):
        shutil.copytree(item.source, target)
    elif chooser.random() < 0.5:
        with open(item.source, "rb") as source, open(target, "wb") as sink:
            while chunk := source.read(256 * 1024):
                sink.write(chunk)
    else:
        staged = os.path.join(os.path.dirname(target), f".incoming-{os.getpid()}-{chooser.getrandbits(32):08x}")
        shutil.copyfile(item.source, staged)
        os.rename(staged, target)
