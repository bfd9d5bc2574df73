"""Catalogue 2026 through google-genai: routed and retired models, thinking levels, image tokens per
media resolution, models.list, the service tier and polygon masks (gemini-api-2026.md)."""
import json

import pytest
from google.genai import errors, types

from conftest import RED, png

REFUSED_MINIMAL = "Thinking level MINIMAL is not supported for this model. Please retry with other thinking level."


def image_part(width=960, height=540, **extra):
    return types.Part(inline_data=types.Blob(data=png(width, height), mime_type="image/png"), **extra)


def image_tokens(usage):
    return {d.modality.name: d.token_count for d in usage.prompt_tokens_details}


def test_a_routed_model_answers_as_its_target(client2026):
    response = client2026.models.generate_content(model="gemini-3.7-flash", contents="hello")

    assert response.model_version == "gemini-3.8-flash"
    assert response.text


def test_a_closed_model_raises_the_new_users_404(client2026):
    with pytest.raises(errors.ClientError) as caught:
        client2026.models.generate_content(model="gemini-2.5-flash", contents="hello")

    assert caught.value.code == 404
    assert caught.value.status == "NOT_FOUND"
    assert caught.value.message == (
        "This model models/gemini-2.5-flash is no longer available to new users. Please update your code to use a "
        "newer model for the latest features and improvements. We recommend you to use the Interactions API "
        "(https://ai.google.dev/gemini-api/docs/migrate-to-interactions).")


def test_a_shut_down_model_raises_404(client2026):
    with pytest.raises(errors.ClientError) as caught:
        client2026.models.generate_content(model="gemini-2.0-flash", contents="hello")

    assert caught.value.code == 404
    assert caught.value.message == (
        "This model models/gemini-2.0-flash is no longer available. Please update your code to use a newer model "
        "for the latest features and improvements.")


def test_a_refused_thinking_level_raises_400(client2026):
    with pytest.raises(errors.ClientError) as caught:
        client2026.models.generate_content(
            model="gemini-3.8-flash", contents="hello",
            config=types.GenerateContentConfig(thinking_config=types.ThinkingConfig(thinking_level="minimal")))

    assert caught.value.code == 400
    assert caught.value.status == "INVALID_ARGUMENT"
    assert caught.value.message == REFUSED_MINIMAL


def test_thinking_levels_are_accepted_where_allowed(client2026):
    low = client2026.models.generate_content(
        model="gemini-3.8-flash", contents="hello",
        config=types.GenerateContentConfig(thinking_config=types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW)))
    minimal = client2026.models.generate_content(
        model="gemini-3.6-flash", contents="hello",
        config=types.GenerateContentConfig(thinking_config=types.ThinkingConfig(thinking_level="MINIMAL")))

    assert low.usage_metadata.thoughts_token_count > 0
    assert minimal.usage_metadata.thoughts_token_count is None


def test_level_and_budget_together_raise_400(client2026):
    with pytest.raises(errors.ClientError) as caught:
        client2026.models.generate_content(
            model="gemini-3.6-flash", contents="hello",
            config=types.GenerateContentConfig(
                thinking_config=types.ThinkingConfig(thinking_level="low", thinking_budget=512)))

    assert caught.value.message == "thinking_budget and thinking_level are not supported together"


def test_image_tokens_follow_the_media_resolution(client2026):
    default = client2026.models.generate_content(model="gemini-3.8-flash", contents=[image_part(), "x"])
    low = client2026.models.generate_content(
        model="gemini-3.8-flash", contents=[image_part(), "x"],
        config=types.GenerateContentConfig(media_resolution=types.MediaResolution.MEDIA_RESOLUTION_LOW))
    ultra = client2026.models.generate_content(
        model="gemini-3.8-flash",
        contents=[image_part(media_resolution=types.PartMediaResolution(
            level=types.PartMediaResolutionLevel.MEDIA_RESOLUTION_ULTRA_HIGH)), "x"],
        config=types.GenerateContentConfig(media_resolution=types.MediaResolution.MEDIA_RESOLUTION_LOW))
    counted = client2026.models.count_tokens(model="gemini-3.8-flash", contents=[image_part(), "x"])

    assert image_tokens(default.usage_metadata) == {"TEXT": 1, "IMAGE": 1120}
    assert default.usage_metadata.prompt_token_count == 1121
    assert image_tokens(low.usage_metadata) == {"TEXT": 1, "IMAGE": 280}
    assert image_tokens(ultra.usage_metadata) == {"TEXT": 1, "IMAGE": 2240}
    assert counted.total_tokens == 1121


def test_models_list_marks_thinking_models(client2026):
    models = {m.name: m for m in client2026.models.list()}
    flash = client2026.models.get(model="gemini-3.8-flash")

    assert models["models/gemini-3.8-flash"].thinking is True
    assert models["models/gemini-2.0-flash"].thinking is None
    assert flash.version == "3.8-flash-09-2026"
    assert flash.display_name == "Gemini 3.8 Flash"
    assert "batchGenerateContent" in flash.supported_actions


def test_answers_carry_the_service_tier_header(client2026):
    response = client2026.models.generate_content(model="gemini-3.6-flash", contents="hello")

    assert response.sdk_http_response.headers["x-gemini-service-tier"] == "standard"


def test_segmentation_on_3x_answers_polygons_in_the_boxes_form(client2026):
    # Red block at x 300..379, y 20..59 of a 400x200 image.
    image = png(400, 200, squares=[(300, 20, 80, 40, RED)])
    schema = {"type": "object", "properties": {"boxes": {"type": "array", "items": {
        "type": "object", "properties": {"box_2d": {"type": "array", "items": {"type": "integer"}},
                                         "mask": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                                         "label": {"type": "string"}},
        "required": ["box_2d", "mask", "label"]}}}, "required": ["boxes"]}

    response = client2026.models.generate_content(
        model="gemini-3.8-flash",
        contents=["Give the segmentation masks.", types.Part.from_bytes(data=image, mime_type="image/png")],
        config=types.GenerateContentConfig(response_mime_type="application/json", response_json_schema=schema,
                                           thinking_config=types.ThinkingConfig(thinking_level="low")))

    assert json.loads(response.text) == {"boxes": [{
        "box_2d": [100, 750, 300, 950], "mask": [[750, 100], [950, 100], [950, 300], [750, 300]], "label": "red square"}]}
