"""The two processes a chaos run abuses: gemini-emulator and the dropsight daemon."""

import os
import signal
import subprocess
import threading
import time
import urllib.request

LOOPBACK = "127.0.0.1"


class Emulator:
    """gemini-emulator on a fixed loopback port (chosen at the first start), killable and restartable."""

    def __init__(self, binary: str, key: str, work: str, faults: str, latency_max_ms: int, seed: int):
        self.binary = binary
        self.key = key
        self.work = work
        self.faults = faults
        self.latency_max_ms = latency_max_ms
        self.seed = seed
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.log_file = os.path.join(work, "requests.jsonl")

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, deadline_s: float = 60.0) -> None:
        port_file = os.path.join(self.work, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        command = [self.binary, "--host", LOOPBACK, "--port", str(self.port), "--port-file", port_file,
                   "--state-dir", os.path.join(self.work, "state"), "--faults", self.faults,
                   "--latency-max-ms", str(self.latency_max_ms), "--seed", str(self.seed + self.starts),
                   "--log-file", self.log_file, "--log-level", "warning", "--catalog", "2026"]
        environment = dict(os.environ, GEMINI_EMULATOR_KEY=self.key)
        with open(os.path.join(self.work, "emulator.out"), "ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=environment)
        self.starts += 1
        give_up = time.monotonic() + deadline_s
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"gemini-emulator exited with {self.process.returncode}; see {self.work}/emulator.out")
            try:
                with open(port_file) as handle:
                    text = handle.read().strip()
                if text:
                    self.port = int(text)
                    with urllib.request.urlopen(self.base_url + "/_emulator/health", timeout=2) as reply:
                        reply.read()
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gemini-emulator did not listen within {deadline_s:.0f} s; see {self.work}/emulator.out")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Daemon:
    """`dropsight run`, SIGKILLed and restarted at will; a sampler thread records its peak RSS and
    its command lines and environments while it lives."""

    def __init__(self, binary: str, config: str, work: str):
        self.binary = binary
        self.config = config
        self.work = work
        self.log_path = os.path.join(work, "daemon.log")
        self.process: subprocess.Popen | None = None
        self.kills: list[float] = []      # wall-clock times of each SIGKILL
        self.starts = 0
        self.peak_rss_kib = 0
        self.command_lines: set[bytes] = set()
        self._lock = threading.Lock()
        self._sampling = True
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def start(self) -> None:
        environment = {k: v for k, v in os.environ.items() if k not in ("GEMINI_API_KEY", "NOTIFY_SOCKET")}
        with open(self.log_path, "ab") as out:
            out.write(f"--- chaos driver: start {self.starts + 1} at {time.time():.3f}\n".encode())
            out.flush()
            with self._lock:
                self.process = subprocess.Popen([self.binary, "run", "--config", self.config], stdout=out,
                                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=environment)
        self.starts += 1

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        with self._lock:
            if self.process and self.process.poll() is None:
                self.process.kill()
                self.kills.append(time.time())
            if self.process:
                self.process.wait(timeout=30)

    def stop(self, deadline_s: float = 60.0) -> int | None:
        """SIGTERM, as systemctl stop does; the exit status, or None when it had to be killed."""
        if not self.process:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=deadline_s)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        return self.process.returncode

    def close(self) -> None:
        self._sampling = False
        self._sampler.join(timeout=5)

    def _sample(self) -> None:
        while self._sampling:
            with self._lock:
                pid = self.process.pid if self.process and self.process.poll() is None else None
            if pid:
                try:
                    with open(f"/proc/{pid}/status") as handle:
                        for line in handle:
                            if line.startswith("VmHWM:"):
                                self.peak_rss_kib = max(self.peak_rss_kib, int(line.split()[1]))
                    for name in ("cmdline", "environ"):
                        with open(f"/proc/{pid}/{name}", "rb") as handle:
                            self.command_lines.add(handle.read())
                except (OSError, ValueError):
                    pass
            time.sleep(0.2)
