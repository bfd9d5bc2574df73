"""generate_content through google-genai: answers follow the pixels sent, inline or uploaded."""
import json

import pytest
from google.genai import errors, types

from conftest import BLUE, RED, admin, png


def test_inline_image_caption_names_size_and_objects(client):
    image = png(200, 100, squares=[(20, 10, 40, 40, RED)])

    response = client.models.generate_content(
        model="gemini-2.5-flash",
        contents=[types.Part.from_bytes(data=image, mime_type="image/png"), "Describe this picture."],
    )

    assert "200x100" in response.text
    assert "red square" in response.text
    assert response.usage_metadata.prompt_token_count == 258 + len("Describe this picture.") // 4 + 1
    logged = admin("GET", "requests")[-1]
    assert logged["partKinds"] == ["inlineData", "text"]
    assert logged["promptText"] == "Describe this picture."
    assert logged["headers"]["x-goog-api-key"] == "REDACTED"


def test_inline_image_detection_boxes_land_on_the_square(client):
    # Red square at x 50..99, y 100..149 of a 200x400 image -> [250, 250, 375, 500] on the 0-1000 grid.
    image = png(200, 400, squares=[(50, 100, 50, 50, RED)])

    response = client.models.generate_content(
        model="gemini-2.5-flash",
        contents=[types.Part.from_bytes(data=image, mime_type="image/png"),
                  "Detect the objects. Return a JSON list with box_2d and label."],
        config=types.GenerateContentConfig(response_mime_type="application/json",
                                           thinking_config=types.ThinkingConfig(thinking_budget=0)),
    )

    boxes = json.loads(response.text)
    assert boxes == [{"box_2d": [250, 250, 375, 500], "label": "red square"}]
    assert response.usage_metadata.thoughts_token_count is None


def test_uploaded_file_is_seen_like_inline_bytes(client, tmp_path):
    path = tmp_path / "two.png"
    path.write_bytes(png(300, 300, squares=[(0, 0, 30, 30, RED), (150, 150, 60, 30, BLUE)]))
    uploaded = client.files.upload(file=str(path))

    response = client.models.generate_content(
        model="gemini-2.5-flash",
        contents=[types.Part.from_uri(file_uri=uploaded.uri, mime_type="image/png"), "What is in this image?"],
    )

    assert "300x300" in response.text
    assert "red square" in response.text and "blue square" in response.text
    assert admin("GET", "requests")[-1]["partKinds"] == ["fileData", "text"]


def test_json_schema_reply_fits_the_schema(client):
    image = png(64, 48, squares=[(8, 8, 16, 16, RED)])
    schema = {"type": "object", "properties": {"width": {"type": "integer"}, "height": {"type": "integer"},
                                               "labels": {"type": "array", "items": {"type": "string"}}}}

    response = client.models.generate_content(
        model="gemini-2.5-flash",
        contents=[types.Part.from_bytes(data=image, mime_type="image/png"), "Size and objects as JSON."],
        config=types.GenerateContentConfig(response_mime_type="application/json", response_json_schema=schema),
    )

    # An array of strings gets each object's label, then the background's colour (keywords, tags).
    assert json.loads(response.text) == {"width": 64, "height": 48, "labels": ["red square", "white"]}


def test_wrong_key_raises_client_error_400(bad_client):
    with pytest.raises(errors.ClientError) as caught:
        bad_client.models.generate_content(model="gemini-2.5-flash", contents="hello")
    assert caught.value.code == 400
    assert caught.value.status == "INVALID_ARGUMENT"
    assert "API key not valid" in caught.value.message


def test_deleted_file_raises_403(client, tmp_path):
    path = tmp_path / "deleted.png"
    path.write_bytes(png(32, 32))
    uploaded = client.files.upload(file=str(path))
    client.files.delete(name=uploaded.name)

    with pytest.raises(errors.ClientError) as caught:
        client.models.generate_content(
            model="gemini-2.5-flash",
            contents=[types.Part.from_uri(file_uri=uploaded.uri, mime_type="image/png"), "Describe."],
        )
    assert caught.value.code == 403
    assert caught.value.status == "PERMISSION_DENIED"


def test_expired_file_raises_403_after_49_hours(client, tmp_path):
    path = tmp_path / "old.png"
    path.write_bytes(png(32, 32))
    uploaded = client.files.upload(file=str(path))

    admin("POST", "clock", {"advanceSeconds": 49 * 3600})

    with pytest.raises(errors.ClientError) as caught:
        client.models.generate_content(
            model="gemini-2.5-flash",
            contents=[types.Part.from_uri(file_uri=uploaded.uri, mime_type="image/png"), "Describe."],
        )
    assert caught.value.code == 403
    with pytest.raises(errors.ClientError) as caught_get:
        client.files.get(name=uploaded.name)
    assert caught_get.value.code == 403
