"""Batch API through google-genai: create from a JSONL file or inline requests, get, list, cancel,
delete, and files.download of the results file."""
import json
import time

import pytest
from google.genai import errors, types

from conftest import BLUE, RED, admin, png

DONE = {"JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED"}


@pytest.fixture
def quick_batches():
    """Batches pending for no time and running for 0.2 s; the default timing is put back after."""
    before = admin("GET", "batches")
    admin("POST", "batches", {"pendingSeconds": 0, "runningSeconds": 0.2})
    yield
    admin("POST", "batches", {"pendingSeconds": before["pendingSeconds"], "runningSeconds": before["runningSeconds"]})


@pytest.fixture
def slow_batches():
    """Batches that stay pending for an hour, so they can be cancelled or ended by hand."""
    before = admin("GET", "batches")
    admin("POST", "batches", {"pendingSeconds": 3600, "runningSeconds": 3600})
    yield
    admin("POST", "batches", {"pendingSeconds": before["pendingSeconds"], "runningSeconds": before["runningSeconds"]})


def wait_done(client, name):
    """Polls batches.get until the job is over (bounded, so a hang fails instead of blocking)."""
    for _ in range(600):
        job = client.batches.get(name=name)
        if job.state.name in DONE:
            return job
        time.sleep(0.05)
    raise AssertionError(f"{name} still {job.state.name}")


def upload(client, tmp_path, name, data, mime_type):
    path = tmp_path / name
    path.write_bytes(data)
    return client.files.upload(file=str(path), config={"display_name": name, "mime_type": mime_type})


def test_file_batch_runs_each_line_like_generate_content(client, tmp_path, quick_batches):
    red = upload(client, tmp_path, "red.png", png(200, 100, squares=[(20, 10, 40, 40, RED)]), "image/png")
    blue = upload(client, tmp_path, "blue.png", png(300, 200, squares=[(10, 10, 50, 50, BLUE)]), "image/png")
    lines = [
        {"key": "IMG_red", "request": {"contents": [{"parts": [
            {"text": "Describe this picture."},
            {"file_data": {"mime_type": "image/png", "file_uri": red.uri}}]}]}},
        {"key": "IMG_blue", "request": {"contents": [{"parts": [
            {"text": "Describe this picture."},
            {"fileData": {"mimeType": "image/png", "fileUri": blue.name}}]}],
            "generation_config": {"thinking_config": {"thinking_budget": 0}}}},
        {"key": "IMG_gone", "request": {"contents": [{"parts": [
            {"text": "Describe this picture."},
            {"file_data": {"mime_type": "image/png", "file_uri": "files/doesnotexist"}}]}]}},
    ]
    jsonl = upload(client, tmp_path, "requests.jsonl", "\n".join(json.dumps(line) for line in lines).encode(), "jsonl")

    job = client.batches.create(model="gemini-2.5-flash", src=jsonl.name, config={"display_name": "sdk-file-batch"})

    assert job.name.startswith("batches/")
    assert job.state.name == "JOB_STATE_PENDING"
    assert job.display_name == "sdk-file-batch"
    assert job.model == "models/gemini-2.5-flash"
    done = wait_done(client, job.name)
    assert done.state.name == "JOB_STATE_SUCCEEDED"
    assert done.dest.file_name == "files/batch-" + job.name.removeprefix("batches/")

    results = client.files.download(file=done.dest.file_name)
    parsed = [json.loads(line) for line in results.decode().splitlines()]
    assert [line["key"] for line in parsed] == ["IMG_red", "IMG_blue", "IMG_gone"]
    by_key = {line["key"]: line for line in parsed}
    red_text = by_key["IMG_red"]["response"]["candidates"][0]["content"]["parts"][-1]["text"]
    assert "200x100" in red_text and "red square" in red_text
    assert "blue square" in by_key["IMG_blue"]["response"]["candidates"][0]["content"]["parts"][-1]["text"]
    assert by_key["IMG_blue"]["response"]["usageMetadata"]["promptTokenCount"] == 258 + len("Describe this picture.") // 4 + 1
    assert "thoughtsTokenCount" not in by_key["IMG_blue"]["response"]["usageMetadata"]
    assert by_key["IMG_gone"]["error"]["code"] == 403
    assert by_key["IMG_gone"]["error"]["status"] == "PERMISSION_DENIED"
    assert "response" not in by_key["IMG_gone"]

    # The results file is a generated file: files.get shows it, and the File object downloads too.
    results_file = client.files.get(name=done.dest.file_name)
    assert results_file.source.name == "GENERATED"
    assert results_file.download_uri
    assert client.files.download(file=results_file) == results


def test_inline_batch_answers_in_order_with_metadata(client, quick_batches):
    job = client.batches.create(
        model="gemini-2.5-flash",
        src=[
            {"contents": [{"parts": [{"text": "Say one thing."}], "role": "user"}], "metadata": {"key": "first"}},
            {"contents": [{"parts": [{"text": "Say another thing."}], "role": "user"}], "metadata": {"key": "second"}},
        ],
        config={"display_name": "sdk-inline-batch"},
    )

    done = wait_done(client, job.name)

    assert done.state.name == "JOB_STATE_SUCCEEDED"
    answers = done.dest.inlined_responses
    assert [answer.metadata["key"] for answer in answers] == ["first", "second"]
    assert "Say one thing." in answers[0].response.text
    assert "Say another thing." in answers[1].response.text
    assert answers[0].response.usage_metadata.prompt_token_count > 0


def test_same_display_name_twice_makes_two_batches_and_list_finds_both(client, slow_batches):
    src = [{"contents": [{"parts": [{"text": "Hello."}]}]}]
    first = client.batches.create(model="gemini-2.5-flash", src=src, config={"display_name": "sdk-twice"})
    second = client.batches.create(model="gemini-2.5-flash", src=src, config={"display_name": "sdk-twice"})

    assert first.name != second.name
    pager = client.batches.list(config={"page_size": 1})
    assert len(pager.page) == 1
    twins = [job.name for job in pager if job.display_name == "sdk-twice"]
    assert first.name in twins and second.name in twins
    creates = [r for r in admin("GET", "requests") if r["path"].endswith(":batchGenerateContent")]
    assert [r.get("batch") for r in creates] == [first.name, second.name]


def test_cancel_then_delete(client, slow_batches):
    job = client.batches.create(model="gemini-2.5-flash", src=[{"contents": [{"parts": [{"text": "Hi."}]}]}])

    client.batches.cancel(name=job.name)
    assert client.batches.get(name=job.name).state.name == "JOB_STATE_CANCELLED"

    client.batches.delete(name=job.name)
    with pytest.raises(errors.ClientError) as caught:
        client.batches.get(name=job.name)
    assert caught.value.code == 404


@pytest.mark.parametrize("state", ["FAILED", "EXPIRED"])
def test_admin_ends_a_batch(client, slow_batches, state):
    job = client.batches.create(model="gemini-2.5-flash", src=[{"contents": [{"parts": [{"text": "Hi."}]}]}])

    admin("POST", "batches/end", {"name": job.name, "state": state})

    ended = client.batches.get(name=job.name)
    assert ended.state.name == f"JOB_STATE_{state}"
    assert ended.dest is None


def test_unknown_model_and_missing_file_are_refused(client):
    with pytest.raises(errors.ClientError) as unknown:
        client.batches.create(model="gemini-0-nope", src=[{"contents": [{"parts": [{"text": "Hi."}]}]}])
    assert unknown.value.code == 404

    with pytest.raises(errors.ClientError) as missing:
        client.batches.create(model="gemini-2.5-flash", src="files/doesnotexist")
    assert missing.value.code == 403
    assert missing.value.status == "PERMISSION_DENIED"
