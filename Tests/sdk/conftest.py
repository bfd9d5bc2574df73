"""Fixtures for driving gemini-emulator with Google's own SDK (google-genai).

scripts/sdk-test starts two emulators and sets GEMINI_EMULATOR_URL (catalogue 2025, the late-2025
rules most tests pin), GEMINI_EMULATOR_2026_URL (catalogue 2026, today's models) and GEMINI_EMULATOR_KEY.
"""
import json
import os
import struct
import urllib.request
import zlib

import pytest
from google import genai
from google.genai import types

BASE_URL = os.environ.get("GEMINI_EMULATOR_URL", "http://127.0.0.1:8089")
BASE_URL_2026 = os.environ.get("GEMINI_EMULATOR_2026_URL", "http://127.0.0.1:8090")
API_KEY = os.environ.get("GEMINI_EMULATOR_KEY", "emulator-key")


def make_client(key=API_KEY, base_url=BASE_URL):
    return genai.Client(api_key=key, http_options=types.HttpOptions(base_url=base_url))


@pytest.fixture
def client():
    return make_client()


@pytest.fixture
def client2026():
    """A client of the emulator serving catalogue 2026."""
    return make_client(base_url=BASE_URL_2026)


@pytest.fixture
def bad_client():
    return make_client("not-the-right-key")


def admin(method, path, body=None, base_url=BASE_URL):
    """Calls an /_emulator/ admin endpoint and returns its JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base_url}/_emulator/{path}", data=data, method=method)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


@pytest.fixture(autouse=True)
def fresh_log():
    admin("POST", "reset")
    admin("POST", "reset", base_url=BASE_URL_2026)
    yield


def png(width, height, background=(255, 255, 255), squares=(), compress=True):
    """An RGB PNG: `background` with filled rectangles (x, y, w, h, (r, g, b))."""
    rows = []
    for y in range(height):
        row = bytearray(background * width)
        for (sx, sy, sw, sh, color) in squares:
            if sy <= y < sy + sh:
                for x in range(max(0, sx), min(width, sx + sw)):
                    row[3 * x:3 * x + 3] = bytes(color)
        rows.append(b"\x00" + bytes(row))
    raw = b"".join(rows)

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    level = 6 if compress else 0
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, level)) + chunk(b"IEND", b""))


RED = (255, 0, 0)
BLUE = (0, 0, 255)
