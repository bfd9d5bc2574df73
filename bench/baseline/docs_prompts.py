"""The three calls of Google's image-understanding page, as a user would lift them into a script.

Each function follows the page's Python example for its task: the image goes inline, the
response is parsed the page's way, `box_2d` is converted with the page's arithmetic, and masks
are drawn with the page's per-pixel loop. Deviations, all small:
- the segmentation prompt asks for "the prominent items" instead of "the wooden and glass items";
- the masks of one image go onto one overlay saved once, instead of one PNG pair per mask;
- usage metadata is returned so the benchmark can report tokens.
"""

import base64
import io
import json

import numpy as np
from google import genai
from google.genai import types
from PIL import Image, ImageDraw

MODEL = "gemini-2.5-flash"

CAPTION_PROMPT = "Caption this image."
DETECT_PROMPT = ("Detect the all of the prominent items in the image. "
                 "The box_2d should be [ymin, xmin, ymax, xmax] normalized to 0-1000.")
SEGMENT_PROMPT = """
Give the segmentation masks for the prominent items.
Output a JSON list of segmentation masks where each entry contains the 2D
bounding box in the key "box_2d", the segmentation mask in key "mask", and
the text label in the key "label". Use descriptive labels.
"""


def usage_of(response) -> dict:
    """Token counts the service reported for one response."""
    usage = response.usage_metadata
    if usage is None:
        return {}
    return {"prompt": usage.prompt_token_count, "output": usage.candidates_token_count,
            "total": usage.total_token_count}


def caption(client: genai.Client, image_path: str) -> tuple[str, dict]:
    """The page's first example: the file's bytes inline, then 'Caption this image.'."""
    with open(image_path, "rb") as f:
        image_bytes = f.read()
    response = client.models.generate_content(
        model=MODEL,
        contents=[
            types.Part.from_bytes(data=image_bytes, mime_type="image/jpeg"),
            CAPTION_PROMPT,
        ],
    )
    return response.text, usage_of(response)


def detect(client: genai.Client, image_path: str) -> tuple[list, dict]:
    """The page's object detection: PIL image inline, JSON mode, box_2d to pixel [x1, y1, x2, y2]."""
    image = Image.open(image_path)
    config = types.GenerateContentConfig(response_mime_type="application/json")
    response = client.models.generate_content(model=MODEL, contents=[image, DETECT_PROMPT], config=config)
    width, height = image.size
    bounding_boxes = json.loads(response.text)
    converted_bounding_boxes = []
    for bounding_box in bounding_boxes:
        abs_y1 = int(bounding_box["box_2d"][0] / 1000 * height)
        abs_x1 = int(bounding_box["box_2d"][1] / 1000 * width)
        abs_y2 = int(bounding_box["box_2d"][2] / 1000 * height)
        abs_x2 = int(bounding_box["box_2d"][3] / 1000 * width)
        converted_bounding_boxes.append({"label": bounding_box.get("label"),
                                         "box": [abs_x1, abs_y1, abs_x2, abs_y2]})
    return converted_bounding_boxes, usage_of(response)


def parse_json(json_output: str) -> str:
    """The page's fence stripper, unchanged."""
    lines = json_output.splitlines()
    for i, line in enumerate(lines):
        if line == "```json":
            json_output = "\n".join(lines[i + 1:])
            json_output = json_output.split("```")[0]
            break
    return json_output


def segment(client: genai.Client, image_path: str, overlay_path: str) -> tuple[int, dict]:
    """The page's segmentation: 1024 px thumbnail inline, thinking off, masks drawn pixel by pixel.

    Returns how many masks were drawn onto the overlay saved at `overlay_path`.
    """
    im = Image.open(image_path)
    im.thumbnail([1024, 1024], Image.Resampling.LANCZOS)
    config = types.GenerateContentConfig(thinking_config=types.ThinkingConfig(thinking_budget=0))
    response = client.models.generate_content(model=MODEL, contents=[SEGMENT_PROMPT, im], config=config)
    items = json.loads(parse_json(response.text))
    overlay = Image.new("RGBA", im.size, (0, 0, 0, 0))
    overlay_draw = ImageDraw.Draw(overlay)
    color = (255, 255, 255, 200)
    drawn = 0
    for item in items:
        box = item["box_2d"]
        y0 = int(box[0] / 1000 * im.size[1])
        x0 = int(box[1] / 1000 * im.size[0])
        y1 = int(box[2] / 1000 * im.size[1])
        x1 = int(box[3] / 1000 * im.size[0])
        if y0 >= y1 or x0 >= x1:
            continue
        png_str = item["mask"]
        if not png_str.startswith("data:image/png;base64,"):
            continue
        png_str = png_str.removeprefix("data:image/png;base64,")
        mask = Image.open(io.BytesIO(base64.b64decode(png_str)))
        mask = mask.resize((x1 - x0, y1 - y0), Image.Resampling.BILINEAR)
        mask_array = np.array(mask)
        for y in range(y0, y1):
            for x in range(x0, x1):
                if mask_array[y - y0, x - x0] > 128:
                    overlay_draw.point((x, y), fill=color)
        drawn += 1
    composite = Image.alpha_composite(im.convert("RGBA"), overlay)
    composite.save(overlay_path, "PNG")
    return drawn, usage_of(response)
