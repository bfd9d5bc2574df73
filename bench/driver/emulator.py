"""Starting, resetting, reading and stopping one gemini-emulator on a free loopback port."""

import datetime
import json
import os
import signal
import subprocess
import time
import urllib.request

LOOPBACK = "127.0.0.1"


def parse_time(text: str) -> float:
    """Seconds since the epoch for the emulator's RFC 3339 UTC timestamps (6 or 9 digits)."""
    base, _, fraction = text.rstrip("Z").partition(".")
    moment = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp() + (float("0." + fraction) if fraction else 0.0)


class Emulator:
    """One emulator process; `base_url` is set once it listens."""

    def __init__(self, binary: str, key: str, work: str, latency_ms: int = 0, rpm: int | None = None):
        self.binary = binary
        self.key = key
        self.work = work
        self.latency_ms = latency_ms
        self.rpm = rpm
        self.process: subprocess.Popen | None = None
        self.base_url = ""

    def start(self, deadline_s: float = 60.0) -> None:
        os.makedirs(self.work, exist_ok=True)
        port_file = os.path.join(self.work, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        command = [self.binary, "--host", LOOPBACK, "--port", "0", "--port-file", port_file,
                   "--key", self.key, "--state-dir", os.path.join(self.work, "state"),
                   "--latency-ms", str(self.latency_ms), "--log-level", "warning", "--catalog", "2025"]
        if self.rpm:
            command += ["--rpm", str(self.rpm)]
        log = open(os.path.join(self.work, "emulator.log"), "ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        give_up = time.monotonic() + deadline_s
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"gemini-emulator exited with {self.process.returncode}; see {self.work}/emulator.log")
            if os.path.exists(port_file) and open(port_file).read().strip():
                self.base_url = f"http://{LOOPBACK}:{int(open(port_file).read())}"
                if self._get("/_emulator/health", timeout=2).get("ok"):
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gemini-emulator did not listen within {deadline_s:.0f} s; see {self.work}/emulator.log")

    def _get(self, path: str, timeout: float = 30) -> object:
        with urllib.request.urlopen(self.base_url + path, timeout=timeout) as reply:
            return json.loads(reply.read())

    def reset(self) -> None:
        """Clears the request log and the rate-limit window, so each run starts alike."""
        request = urllib.request.Request(self.base_url + "/_emulator/reset", data=b"{}", method="POST")
        with urllib.request.urlopen(request, timeout=30) as reply:
            reply.read()

    def requests(self) -> list[dict]:
        """The API requests logged since the last reset (admin calls are never logged)."""
        entries = self._get("/_emulator/requests")
        return entries if isinstance(entries, list) else entries.get("requests", [])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process = None
