"""The small tmpfs one watched folder lives on: it fills up, and is grown once it has stayed full."""

import os
import subprocess
import time

MIB = 1024 * 1024


class SmallDisk:
    """A tmpfs mounted at `path`, `size_mib` large; `tick()` grows it by half (at least `grow_mib`)
    after `full_for` seconds full.

    It counts as full when almost no space is left, when a drop did not fit, or when the daemon's
    log (`log_path`) reports "No space left on device": what a person would notice."""

    def __init__(self, path: str, size_mib: int, full_for: float, grow_mib: int, log_path: str):
        self.path = path
        self.log_path = log_path
        self.log_offset = 0
        self.size_mib = size_mib
        self.full_for = full_for
        self.grow_mib = grow_mib
        self.full_since: float | None = None
        self.times_full = 0
        self.times_grown = 0
        self.mounted = False

    def mount(self) -> None:
        os.makedirs(self.path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size_mib}m,mode=0755", "chaos-small", self.path],
                       check=True)
        self.mounted = True

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "--lazy", self.path], check=False)
            self.mounted = False

    def free_bytes(self) -> int:
        stats = os.statvfs(self.path)
        return stats.f_bavail * stats.f_frsize

    def is_full(self) -> bool:
        return self.free_bytes() < 2 * MIB

    def daemon_complained(self) -> bool:
        """Whether the daemon logged a full disk since the last look."""
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(self.log_offset)
                fresh = handle.read()
        except OSError:
            return False
        self.log_offset += len(fresh)
        return b"No space left on device" in fresh

    def note_full(self) -> None:
        """Called when a drop did not fit, or the disk is nearly full."""
        if self.full_since is None:
            self.full_since = time.monotonic()
            self.times_full += 1

    def tick(self) -> bool:
        """Grows the disk once it has been full for `full_for` seconds; True when it grew."""
        if self.daemon_complained() or self.is_full():
            self.note_full()
        if self.full_since is None or time.monotonic() - self.full_since < self.full_for:
            return False
        self.size_mib += max(self.grow_mib, self.size_mib // 2)
        subprocess.run(["mount", "-o", f"remount,size={self.size_mib}m", self.path], check=True)
        self.full_since = None
        self.times_grown += 1
        return True
