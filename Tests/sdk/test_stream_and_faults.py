"""Streaming, token counting and scripted faults as google-genai sees them."""
import pytest
from google.genai import errors

from conftest import admin

MODEL = "gemini-2.5-flash"


def test_count_tokens_matches_the_recorded_answer(client):
    counted = client.models.count_tokens(model=MODEL, contents="The quick brown fox jumps over the lazy dog.")
    assert counted.total_tokens == 11


def test_stream_deltas_add_up_to_the_whole_answer(client):
    prompt = "tell me a story about the sea please"
    whole = client.models.generate_content(model=MODEL, contents=prompt).text

    chunks = list(client.models.generate_content_stream(model=MODEL, contents=prompt))

    assert len(chunks) == 3
    assert "".join(c.text for c in chunks) == whole
    counts = [c.usage_metadata.candidates_token_count for c in chunks]
    assert counts == sorted(counts)
    assert chunks[-1].candidates[0].finish_reason.name == "STOP"


def test_an_error_after_http_200_surfaces_from_the_stream(client):
    admin("POST", "faults", [{"route": "streamGenerateContent", "action": "midStreamError", "status": 500}])

    received = []
    with pytest.raises(errors.ServerError) as caught:
        for chunk in client.models.generate_content_stream(model=MODEL, contents="tell me a story about the sea"):
            received.append(chunk.text)

    assert len(received) == 1
    assert caught.value.code == 500


def test_scripted_503_then_success(client):
    admin("POST", "faults", [{"route": "generateContent", "status": 503}])

    with pytest.raises(errors.ServerError) as caught:
        client.models.generate_content(model=MODEL, contents="hi")
    assert caught.value.code == 503
    assert client.models.generate_content(model=MODEL, contents="hi").text


def test_blocked_prompt_has_no_candidates(client):
    admin("POST", "faults", [{"action": "blocked"}])

    response = client.models.generate_content(model=MODEL, contents="hi")

    assert response.candidates is None
    assert response.prompt_feedback.block_reason.name == "SAFETY"
    assert response.text is None
