# Generates image files of many formats, sizes and parameters with PIL, and decodes each with PIL
# (the reference LoadImage uses). Prints one JSON object per line:
#   {"name", "file": base64 bytes, "layout", "bitDepth", "orientation"?, "frames": [{"data": base64,
#    "durationMs"?}], "oriented"?: {"width", "height", "data"}}
# `layout` is what decodeImage must report; frame data is PIL's decode converted to that layout
# (palette images expanded). Deterministic: seeded.
import base64
import io
import json
import struct
import sys

import numpy as np
from PIL import Image, ImageOps, ImageSequence

rng = np.random.default_rng(20240611)
CONVERT = {"gray": "L", "gray-alpha": "LA", "rgb": "RGB", "rgba": "RGBA", "cmyk": "CMYK"}


def picture(w, h, channels, noise=40):
    """A gradient with shapes and noise: smooth areas and edges, as photos and renders have."""
    y, x = np.mgrid[0:h, 0:w]
    base = [
        (x * 255 / max(1, w - 1)),
        (y * 255 / max(1, h - 1)),
        ((x + y) * 127 / max(1, w + h - 2) + 64 * ((x // 5 + y // 3) % 2)),
        (255 - x * 200 / max(1, w - 1)),
    ]
    planes = [np.clip(base[c] + rng.normal(0, noise, (h, w)), 0, 255) for c in range(channels)]
    return np.stack(planes, axis=-1).astype(np.uint8)


def b64(data):
    return base64.b64encode(bytes(data)).decode("ascii")


def emit(name, data, layout, frames, bit_depth=8, extra=None):
    out = {"name": name, "file": b64(data), "layout": layout, "bitDepth": bit_depth, "frames": frames}
    out.update(extra or {})
    sys.stdout.write(json.dumps(out) + "\n")


def pil_frames(data, layout, with_duration=False):
    im = Image.open(io.BytesIO(data))
    frames = []
    for frame in ImageSequence.Iterator(im):
        arr = np.array(frame if layout == "gray16" else frame.convert(CONVERT[layout]))
        entry = {"data": b64(arr.astype("<u2" if layout == "gray16" else np.uint8).tobytes())}
        if with_duration:
            entry["durationMs"] = frame.info.get("duration")
        frames.append(entry)
    return frames


def save(im, fmt, **options):
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


# --- JPEG: sizes, chroma subsampling, quality, progressive, gray and Adobe CMYK --------------------
sizes = [(1, 1), (2, 3), (7, 5), (8, 8), (16, 16), (17, 9), (23, 31), (37, 29), (64, 48), (101, 67)]
for i, (w, h) in enumerate(sizes):
    for sub in (0, 1, 2):
        q = [10, 50, 75, 90, 95, 100][(i + sub) % 6]
        prog = (i + sub) % 2 == 1
        data = save(Image.fromarray(picture(w, h, 3)), "JPEG", quality=q, subsampling=sub, progressive=prog)
        emit(f"jpeg {w}x{h} sub{sub} q{q}{' progressive' if prog else ''}", data, "rgb", pil_frames(data, "rgb"))
for w, h in [(9, 7), (40, 30), (64, 48)]:
    data = save(Image.fromarray(picture(w, h, 1)[:, :, 0], "L"), "JPEG", quality=85)
    emit(f"jpeg gray {w}x{h}", data, "gray", pil_frames(data, "gray"))
    data = save(Image.fromarray(picture(w, h, 4), "CMYK"), "JPEG", quality=90)
    emit(f"jpeg cmyk {w}x{h}", data, "cmyk", pil_frames(data, "cmyk"))

# --- EXIF orientation 1..8: decodeImage reports it; orientImage must equal ImageOps.exif_transpose --
for orientation in range(1, 9):
    im = Image.fromarray(picture(12, 7, 3, noise=0))
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = save(im, "JPEG", quality=95, exif=exif.tobytes())
    t = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    emit(
        f"jpeg exif orientation {orientation}",
        data,
        "rgb",
        pil_frames(data, "rgb"),
        extra={
            "orientation": orientation,
            "oriented": {"width": t.size[0], "height": t.size[1], "data": b64(np.array(t).tobytes())},
        },
    )

# --- WebP: lossy qualities, lossless, alpha, odd sizes ----------------------------------------------
for i, (w, h) in enumerate([(1, 1), (3, 2), (15, 9), (37, 29), (64, 48), (99, 41)]):
    q = [0, 30, 60, 75, 90, 100][i]
    data = save(Image.fromarray(picture(w, h, 3)), "WEBP", quality=q)
    emit(f"webp lossy {w}x{h} q{q}", data, "rgb", pil_frames(data, "rgb"))
    data = save(Image.fromarray(picture(w, h, 4)), "WEBP", quality=q, method=i % 7)
    emit(f"webp lossy alpha {w}x{h} q{q}", data, "rgba", pil_frames(data, "rgba"))
    data = save(Image.fromarray(picture(w, h, 4)), "WEBP", lossless=True, exact=i % 2 == 0)
    # libwebp drops the alpha flag when every pixel is opaque: PIL then opens the file as RGB.
    layout = "rgba" if Image.open(io.BytesIO(data)).mode == "RGBA" else "rgb"
    emit(f"webp lossless alpha {w}x{h}", data, layout, pil_frames(data, layout))
    data = save(Image.fromarray(picture(w, h, 3)), "WEBP", lossless=True)
    emit(f"webp lossless {w}x{h}", data, "rgb", pil_frames(data, "rgb"))


# Animated WebP: PIL's WebPAnimEncoder stores changed sub-rectangles and blends them; frames with
# partial transparency exercise the canvas compositing.
def anim_frames(w, h, n, channels, transparent):
    out = []
    base = picture(w, h, channels)
    for k in range(n):
        a = base.copy()
        a[(k * 3) % h : (k * 3) % h + 4, (k * 5) % w : (k * 5) % w + 6] = rng.integers(0, 255, channels)
        if transparent and channels == 4:
            a[:, : (k + 1) * 2, 3] = (k * 60) % 256
        out.append(Image.fromarray(a))
    return out


for lossless in (True, False):
    for channels, transparent in ((3, False), (4, False), (4, True)):
        frames = anim_frames(30, 22, 4, channels, transparent)
        data = save(
            frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=[40, 90, 0, 250],
            loop=3, lossless=lossless, quality=70,
        )
        layout = "rgba" if Image.open(io.BytesIO(data)).mode == "RGBA" else "rgb"
        emit(
            f"webp animated {'lossless' if lossless else 'lossy'} {channels}ch{' transparent' if transparent else ''}",
            data, layout, pil_frames(data, layout, with_duration=True), extra={"loop": 3},
        )

# --- PNG: every PIL mode, interlaced, transparency keys --------------------------------------------
for w, h in [(1, 1), (5, 3), (17, 11), (40, 24)]:
    rgb = picture(w, h, 4)
    for mode, layout in (("1", "gray"), ("L", "gray"), ("LA", "gray-alpha"), ("RGB", "rgb"), ("RGBA", "rgba")):
        im = Image.fromarray(rgb).convert(mode)
        for interlace in (False, True):
            data = save(im, "PNG", optimize=interlace)
            emit(f"png {mode} {w}x{h}", data, layout, pil_frames(data, layout))
    p = Image.fromarray(rgb[:, :, :3]).convert("P", palette=Image.ADAPTIVE, colors=7)
    data = save(p, "PNG")
    emit(f"png P {w}x{h}", data, "rgb", pil_frames(data, "rgb"))
    data = save(p, "PNG", transparency=bytes([0, 128, 255, 7]), bits=4)
    emit(f"png P tRNS 4-bit {w}x{h}", data, "rgba", pil_frames(data, "rgba"))
    gray16 = Image.fromarray((picture(w, h, 1)[:, :, 0].astype(np.uint16) * 257 + 3).astype(np.uint16), "I;16")
    data = save(gray16, "PNG")
    emit(f"png 16-bit gray {w}x{h}", data, "gray16", pil_frames(data, "gray16"), bit_depth=16)
    data = save(Image.fromarray(rgb[:, :, :3]), "PNG", transparency=tuple(int(v) for v in rgb[0, 0, :3]))
    emit(f"png RGB tRNS key {w}x{h}", data, "rgba", pil_frames(data, "rgba"))

# APNG: PIL writes changed regions, disposal and blend per frame.
for disposal, blend in ((0, 0), (1, 0), (2, 0), (0, 1), (2, 1), (1, 1)):
    for default_image in (False, True):
        frames = anim_frames(20, 14, 3, 4, True)
        data = save(
            frames[0], "PNG", save_all=True, append_images=frames[1:], duration=[30, 60, 90],
            disposal=disposal, blend=blend, loop=2, default_image=default_image,
        )
        emit(
            f"apng disposal {disposal} blend {blend}{' default image' if default_image else ''}",
            data, "rgba", pil_frames(data, "rgba", with_duration=True), extra={"loop": 2},
        )

# --- GIF: palettes per frame, transparency, disposal ----------------------------------------------
for disposal in (0, 1, 2):
    for transparency in (None, 0):
        frames = [f.convert("RGB").convert("P", palette=Image.ADAPTIVE, colors=15) for f in anim_frames(24, 20, 3, 3, False)]
        options = {"transparency": transparency} if transparency is not None else {}
        data = save(
            frames[0], "GIF", save_all=True, append_images=frames[1:], duration=[50, 150, 400],
            disposal=disposal, loop=0, optimize=False, **options,
        )
        layout = "rgba" if transparency is not None else "rgb"
        emit(
            f"gif disposal {disposal} transparency {transparency}",
            data, layout, pil_frames(data, layout, with_duration=True),
        )
data = save(Image.fromarray(picture(13, 9, 3)).convert("P", palette=Image.ADAPTIVE, colors=200), "GIF")
emit("gif still 200 colours", data, "rgb", pil_frames(data, "rgb"))


# --- BMP: PIL's writer (1, L, P, RGB) and hand-made files for the forms PIL only reads -------------
def bmp(w, h, bits, rows, compression=0, palette=b"", masks=b"", header=40, top_down=False):
    info = struct.pack("<IiiHHIIiiII", header, w, -h if top_down else h, 1, bits, compression, len(rows), 2835, 2835, len(palette) // 4, 0)
    if header > 40:
        info += masks.ljust(header - 40, b"\0")
        masks = b""
    offset = 14 + len(info) + len(masks) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(rows), 0, 0, offset) + info + masks + palette + rows


def rows_of(arr, bpp):
    h, w = arr.shape[:2]
    stride = ((w * bpp + 31) >> 3) & ~3
    out = b""
    for y in range(h - 1, -1, -1):
        out += arr[y].tobytes().ljust(stride, b"\0")
    return out


for w, h in [(1, 1), (3, 2), (30, 20), (33, 17)]:
    rgb = picture(w, h, 3)
    for mode, layout in (("1", "gray"), ("L", "gray"), ("RGB", "rgb")):
        data = save(Image.fromarray(rgb).convert(mode), "BMP")
        emit(f"bmp {mode} {w}x{h}", data, layout, pil_frames(data, layout))
    p = Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=11)
    data = save(p, "BMP")
    emit(f"bmp P {w}x{h}", data, "rgb", pil_frames(data, "rgb"))
    v = rgb.astype(np.uint32) >> 3
    px555 = ((v[:, :, 0] << 10) | (v[:, :, 1] << 5) | v[:, :, 2]).astype("<u2")
    data = bmp(w, h, 16, rows_of(px555, 16))
    emit(f"bmp 16-bit 555 {w}x{h}", data, "rgb", pil_frames(data, "rgb"))
    px565 = ((v[:, :, 0] << 11) | ((rgb[:, :, 1].astype(np.uint32) >> 2) << 5) | v[:, :, 2]).astype("<u2")
    data = bmp(w, h, 16, rows_of(px565, 16), compression=3, masks=struct.pack("<III", 0xF800, 0x7E0, 0x1F))
    emit(f"bmp 16-bit 565 bitfields {w}x{h}", data, "rgb", pil_frames(data, "rgb"))
    rgba = picture(w, h, 4)
    bgra = rgba[:, :, [2, 1, 0, 3]].copy()
    data = bmp(w, h, 32, rows_of(bgra, 32))
    emit(f"bmp 32-bit BI_RGB {w}x{h} (alpha ignored)", data, "rgb", pil_frames(data, "rgb"))
    data = bmp(w, h, 32, rows_of(bgra, 32), compression=3, header=108,
               masks=struct.pack("<IIII", 0xFF0000, 0xFF00, 0xFF, 0xFF000000))
    emit(f"bmp 32-bit BGRA v4 {w}x{h}", data, "rgba", pil_frames(data, "rgba"))
    flipped = bmp(w, h, 24, b"".join(rgb[y][:, ::-1].tobytes().ljust(((w * 24 + 31) >> 3) & ~3, b"\0") for y in range(h)), top_down=True)
    emit(f"bmp 24-bit top-down {w}x{h}", flipped, "rgb", pil_frames(flipped, "rgb"))


def rle8(indices):
    out = b""
    for row in indices[::-1]:
        x = 0
        while x < len(row):
            run = 1
            while x + run < len(row) and run < 255 and row[x + run] == row[x]:
                run += 1
            if run >= 3 or len(row) - x < 3:
                out += bytes([run, row[x]])
                x += run
            else:
                n = min(len(row) - x, 255)
                n = max(3, n if n < 6 else 6)
                chunk = bytes(row[x : x + n])
                out += bytes([0, n]) + chunk + (b"\0" if n % 2 else b"")
                x += n
        out += b"\0\0"
    return out + b"\0\1"


for w, h in [(5, 4), (20, 9)]:
    idx = (rng.integers(0, 3, (h, w)) * (np.arange(w) % 4 < 2)).astype(np.uint8)
    palette = b"".join(bytes([b, g, r, 0]) for r, g, b in [(200, 10, 10), (10, 200, 10), (10, 10, 200), (90, 90, 90)])
    data = bmp(w, h, 8, rle8(idx), compression=1, palette=palette)
    emit(f"bmp RLE8 {w}x{h}", data, "rgb", pil_frames(data, "rgb"))

# --- TIFF: modes and compressions -------------------------------------------------------------------
for compression in (None, "tiff_lzw", "tiff_adobe_deflate", "packbits"):
    for mode, layout in (("L", "gray"), ("RGB", "rgb"), ("RGBA", "rgba"), ("CMYK", "cmyk")):
        arr = picture(19, 13, 4)
        im = Image.fromarray(arr).convert(mode) if mode != "CMYK" else Image.fromarray(arr, "CMYK")
        data = save(im, "TIFF", compression=compression)
        emit(f"tiff {mode} {compression}", data, layout, pil_frames(data, layout))
