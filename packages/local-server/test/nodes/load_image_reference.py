# ComfyUI 0.3.65's LoadImage.load_image and LoadImageMask.load_image bodies (nodes.py), with numpy in
# place of torch (float32 throughout; torch.from_numpy and `1. - mask` keep the same float32 values).
# stdin: JSON list of file paths. stdout: one JSON line per file with the float32 outputs (base64) or
# the exception PIL raised.
import base64
import json
import sys

import numpy as np
from PIL import Image, ImageFile, ImageOps, ImageSequence, UnidentifiedImageError


def pillow(fn, arg):
    # node_helpers.pillow: retry once with LOAD_TRUNCATED_IMAGES on PIL's errors.
    prev_value = None
    try:
        x = fn(arg)
    except (AttributeError, OSError, UnidentifiedImageError, ValueError):
        prev_value = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        x = fn(arg)
    finally:
        if prev_value is not None:
            ImageFile.LOAD_TRUNCATED_IMAGES = prev_value
    return x


def load_image(path):
    img = pillow(Image.open, path)
    output_images, output_masks = [], []
    w, h = None, None
    for i in ImageSequence.Iterator(img):
        i = pillow(ImageOps.exif_transpose, i)
        if i.mode == "I":
            i = i.point(lambda i: i * (1 / 255))
        image = i.convert("RGB")
        if len(output_images) == 0:
            w, h = image.size[0], image.size[1]
        if image.size[0] != w or image.size[1] != h:
            continue
        image = np.array(image).astype(np.float32) / 255.0
        if "A" in i.getbands():
            mask = 1.0 - np.array(i.getchannel("A")).astype(np.float32) / 255.0
        elif i.mode == "P" and "transparency" in i.info:
            mask = 1.0 - np.array(i.convert("RGBA").getchannel("A")).astype(np.float32) / 255.0
        else:
            mask = np.zeros((64, 64), dtype=np.float32)
        output_images.append(image[None])
        output_masks.append(mask.astype(np.float32)[None])
    return np.concatenate(output_images), np.concatenate(output_masks)


def load_image_mask(path, channel):
    i = pillow(Image.open, path)
    i = pillow(ImageOps.exif_transpose, i)
    if i.getbands() != ("R", "G", "B", "A"):
        if i.mode == "I":
            i = i.point(lambda i: i * (1 / 255))
        i = i.convert("RGBA")
    c = channel[0].upper()
    if c in i.getbands():
        mask = np.array(i.getchannel(c)).astype(np.float32) / 255.0
        if c == "A":
            mask = 1.0 - mask
    else:
        mask = np.zeros((64, 64), dtype=np.float32)
    return mask.astype(np.float32)[None]


def encode(a):
    return {"shape": list(a.shape), "data": base64.b64encode(a.astype("<f4").tobytes()).decode("ascii")}


for path in json.load(sys.stdin):
    out = {"path": path}
    try:
        image, mask = load_image(path)
        out["image"] = encode(image)
        out["mask"] = encode(mask)
        out["masks"] = {ch: encode(load_image_mask(path, ch)) for ch in ("alpha", "red", "green", "blue")}
    except Exception as e:  # noqa: BLE001 - the reference reports what ComfyUI would
        out["error"] = {"type": type(e).__name__, "message": str(e)}
    sys.stdout.write(json.dumps(out) + "\n")
