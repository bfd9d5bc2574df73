"""The two daemons under test: how to start each on a folder, know it is ready, and know an image is done."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process so far, from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


class Daemon:
    """A started daemon; `finish()` stops it and returns (cpu seconds since ready, peak RSS in MiB)."""

    name = ""
    log_name = ""

    def __init__(self, command: list[str], env: dict, workdir: str, capture_stdout: bool):
        self.workdir = workdir
        log = open(os.path.join(workdir, self.log_name), "ab")
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE if capture_stdout else log,
                                        stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        self.cpu_at_ready = 0.0

    def mark_ready(self) -> None:
        self.cpu_at_ready = cpu_seconds(self.process.pid)

    def finish(self, deadline_s: float = 30.0) -> tuple[float, float]:
        """Stops the daemon (SIGTERM, then SIGKILL after the deadline) and reaps it with its rusage."""
        pid = self.process.pid
        if self.process.returncode is None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        give_up = time.monotonic() + deadline_s
        while True:
            reaped, status, usage = os.wait4(pid, os.WNOHANG)
            if reaped == pid:
                break
            if time.monotonic() > give_up:
                os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                break
            time.sleep(0.05)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        if self.process.stdout:
            self.process.stdout.close()
        cpu = usage.ru_utime + usage.ru_stime - self.cpu_at_ready
        return cpu, usage.ru_maxrss / 1024

    def alive(self) -> bool:
        return self.process.poll() is None

    def stderr_tail(self, lines: int = 20) -> str:
        try:
            with open(os.path.join(self.workdir, self.log_name), errors="replace") as handle:
                return "".join(handle.readlines()[-lines:])
        except OSError:
            return ""


class Baseline(Daemon):
    name = "baseline"
    log_name = "baseline.log"

    def __init__(self, python: str, script: str, folder: str, base_url: str, key: str, workdir: str, exit_after: int):
        env = dict(os.environ, GEMINI_API_KEY=key, PYTHONUNBUFFERED="1")
        command = [python, script, folder, "--base-url", base_url, "--exit-after", str(exit_after)]
        super().__init__(command, env, workdir, capture_stdout=True)

    def wait_ready(self, deadline_s: float = 60.0) -> None:
        """Waits for the daemon's "watching FOLDER" line."""
        give_up = time.monotonic() + deadline_s
        os.set_blocking(self.process.stdout.fileno(), False)
        seen = b""
        while time.monotonic() < give_up:
            chunk = self.process.stdout.read() or b""
            seen += chunk
            if b"watching " in seen:
                os.set_blocking(self.process.stdout.fileno(), True)
                # Its per-image lines go to a file from here on, so the pipe never fills.
                self._drain_to_log()
                self.mark_ready()
                return
            if not self.alive():
                raise RuntimeError(f"baseline exited before watching:\n{self.stderr_tail()}")
            time.sleep(0.05)
        raise RuntimeError(f"baseline did not print 'watching' within {deadline_s:.0f} s")

    def _drain_to_log(self) -> None:
        def copy(stream, path):
            with open(path, "ab") as out:
                for line in stream:
                    out.write(line)

        threading.Thread(target=copy, args=(self.process.stdout, os.path.join(self.workdir, "baseline.stdout")),
                         daemon=True).start()

    @staticmethod
    def finished(image_path: str) -> bool:
        return os.path.exists(image_path + ".baseline.json")

    @staticmethod
    def sidecar(image_path: str) -> str:
        return image_path + ".baseline.json"


class Dropsight(Daemon):
    name = "dropsight"
    log_name = "dropsight.log"
    prompts = ("caption", "objects", "masks")

    def __init__(self, binary: str, folder: str, base_url: str, key: str, workdir: str, rpm: int,
                 concurrency: int = 8, settle_ms: int = 200, overlay: str = "composite"):
        config = os.path.join(workdir, "dropsight.toml")
        with open(config, "w") as handle:
            handle.write(self.config_text(folder, base_url, os.path.join(workdir, "dropsight-state"),
                                          rpm, concurrency, settle_ms, overlay))
        self.notify_path = os.path.join(workdir, "notify.sock")
        if os.path.exists(self.notify_path):
            os.remove(self.notify_path)
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(self.notify_path)
        env = dict(os.environ, GEMINI_API_KEY=key, NOTIFY_SOCKET=self.notify_path)
        super().__init__([binary, "run", "--config", config], env, workdir, capture_stdout=False)

    @classmethod
    def config_text(cls, folder: str, base_url: str, state: str, rpm: int, concurrency: int, settle_ms: int,
                    overlay: str = "composite") -> str:
        prompts = ", ".join(json.dumps(p) for p in cls.prompts)
        return (
            "[api]\n"
            f"base_url = {json.dumps(base_url)}\n"
            "model = \"gemini-2.5-flash\"\n"
            f"max_concurrency = {concurrency}\n"
            "batch = \"off\"\n"
            f"requests_per_minute = {rpm}\n\n"
            "[state]\n"
            f"dir = {json.dumps(state)}\n\n"
            "[[folder]]\n"
            f"path = {json.dumps(folder)}\n"
            f"prompts = [{prompts}]\n"
            f"settle_ms = {settle_ms}\n\n"
            "[prompt.caption]\n"
            "text = \"Caption this image.\"\n\n"
            "[prompt.objects]\n"
            "kind = \"detect\"\n"
            f"overlay = {json.dumps(overlay)}\n\n"
            "[prompt.masks]\n"
            "kind = \"segment\"\n"
            f"overlay = {json.dumps(overlay)}\n"
        )

    def wait_ready(self, deadline_s: float = 60.0) -> bool:
        """Waits for READY=1 on the notify socket; False (after the deadline) if it never came."""
        give_up = time.monotonic() + deadline_s
        self.notify.settimeout(0.1)
        received = []
        try:
            while time.monotonic() < give_up:
                if not self.alive():
                    raise RuntimeError(f"dropsight exited with {self.process.returncode} before READY:\n"
                                       f"{self.stderr_tail()}")
                try:
                    message = self.notify.recv(4096)
                except socket.timeout:
                    continue
                received.append(message)
                if b"READY=1" in message.split(b"\n"):
                    self.mark_ready()
                    return True
            print(f"warning: dropsight sent no READY=1 within {deadline_s:.0f} s (datagrams received: {received}); "
                  "going on", file=sys.stderr)
            self.mark_ready()
            return False
        finally:
            self.notify.close()
            if os.path.exists(self.notify_path):
                os.remove(self.notify_path)

    @classmethod
    def finished(cls, image_path: str) -> bool:
        """True once the sidecar gives every configured prompt a status."""
        try:
            with open(cls.sidecar(image_path)) as handle:
                prompts = json.load(handle).get("prompts", {})
        except (OSError, ValueError, AttributeError):
            return False
        return all(isinstance(prompts.get(p), dict) and "status" in prompts[p] for p in cls.prompts)

    @staticmethod
    def sidecar(image_path: str) -> str:
        return image_path + ".dropsight.json"
