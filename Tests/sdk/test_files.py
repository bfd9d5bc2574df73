"""Files API through google-genai: resumable upload in chunks, get, list with paging, delete."""
import hashlib
import base64

import pytest
from google.genai import errors

from conftest import RED, admin, png


def upload(client, tmp_path, name, data, mime_type):
    path = tmp_path / name
    path.write_bytes(data)
    return client.files.upload(file=str(path), config={"display_name": name, "mime_type": mime_type})


def test_upload_20_mb_in_three_chunks_then_get(client, tmp_path):
    # An uncompressed 2560x2600 PNG is just under 20 MB: chunks of 8 MiB, 8 MiB and the rest.
    data = png(2560, 2600, squares=[(200, 300, 400, 400, RED)], compress=False)
    assert 16 * 2**20 < len(data) < 24 * 2**20

    uploaded = upload(client, tmp_path, "big.png", data, "image/png")

    assert uploaded.name.startswith("files/")
    assert uploaded.size_bytes == len(data)
    assert uploaded.mime_type == "image/png"
    assert uploaded.display_name == "big.png"
    assert uploaded.state.name == "ACTIVE"
    digest = hashlib.sha256(data).hexdigest()
    assert base64.b64decode(uploaded.sha256_hash).decode() == digest
    assert (uploaded.expiration_time - uploaded.create_time).total_seconds() == pytest.approx(48 * 3600, abs=1)

    chunks = [r for r in admin("GET", "requests") if r["path"].startswith("/upload/") and r.get("command")]
    commands = [r["command"] for r in chunks]
    assert commands == ["start", "upload", "upload", "upload, finalize"]
    assert [r["bytes"] for r in chunks[1:]] == [8 * 2**20, 8 * 2**20, len(data) - 16 * 2**20]
    assert [r["offset"] for r in chunks[1:]] == [0, 8 * 2**20, 16 * 2**20]

    fetched = client.files.get(name=uploaded.name)
    assert fetched.name == uploaded.name
    assert fetched.size_bytes == len(data)
    assert fetched.sha256_hash == uploaded.sha256_hash
    assert fetched.uri == uploaded.uri


def test_list_pages_through_every_file(client, tmp_path):
    names = {upload(client, tmp_path, f"small{i}.txt", f"file {i}".encode(), "text/plain").name for i in range(5)}

    pager = client.files.list(config={"page_size": 2})
    assert len(pager.page) == 2
    listed = {f.name for f in pager}

    assert names <= listed
    list_calls = [r for r in admin("GET", "requests") if r["method"] == "GET" and r["path"].endswith("/files")]
    assert len(list_calls) >= 3
    assert all("pageSize=2" in r["query"] for r in list_calls)


def test_delete_then_get_is_403(client, tmp_path):
    uploaded = upload(client, tmp_path, "gone.txt", b"soon gone", "text/plain")

    client.files.delete(name=uploaded.name)

    with pytest.raises(errors.ClientError) as caught:
        client.files.get(name=uploaded.name)
    assert caught.value.code == 403
    assert caught.value.status == "PERMISSION_DENIED"
    assert uploaded.name.removeprefix("files/") in caught.value.message
