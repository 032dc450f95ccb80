import { encodePng, hasPngSignature, readPngStructure } from "@comfy-ts/core/png";
import { encodeJpeg, encodeWebp } from "@comfy-ts/media";
import { PIL_PNG } from "../image/pil-deflate.js";
import { convert, getChannel, openImage, type PilImage } from "../image/pil-image.js";
import type { MaskMerger } from "./upload-routes.js";
import type { ViewTransform } from "./view-route.js";

/**
 * `/view?preview=…&channel=…` as ComfyUI does it. `preview=webp|jpeg[;quality]` re-encodes the first
 * frame as PIL's `img.save(format, quality=q)` does (quality 90 by default; another format, or an `a`
 * in `channel`, means webp; jpeg and `channel=rgb` convert to RGB first; WebP keeps RGBA when the
 * image has alpha), with libwebp / libjpeg through sharp. Without `preview`: `channel=rgb` drops alpha
 * (PNG), `a` gives a black RGBA image carrying the original alpha (all 255 without one). Files that
 * are no image are sent unchanged.
 */
export const viewTransform: ViewTransform = async (bytes, { preview, channel }) => {
  let image: PilImage;
  try {
    const opened = await openImage(bytes);
    image = opened.frames[0] as PilImage;
  } catch {
    return undefined;
  }
  if (preview !== undefined) {
    const parts = preview.split(";");
    const format = parts[0] === "jpeg" && !(channel ?? "").includes("a") ? "jpeg" : "webp";
    const last = parts.at(-1) ?? "";
    const quality = /^\d+$/.test(last) ? Number(last) : 90;
    const rgbOnly = format === "jpeg" || channel === "rgb";
    const out = rgbOnly ? toRgb(image) : hasAlpha(image) ? convert(image, "RGBA") : toRgb(image);
    const pixels = toPixels(out, out.mode === "RGBA" ? 4 : 3);
    const encoded =
      format === "jpeg"
        ? await encodeJpeg({ ...pixels, channels: 3 }, { quality })
        : await encodeWebp(
            { width: pixels.width, height: pixels.height, channels: pixels.channels, frames: [pixels.data] },
            { lossless: false, quality, method: 4 },
          );
    return { bytes: encoded, contentType: `image/${format}` };
  }
  if (channel === "rgb") {
    return { bytes: encodePng(toPixels(toRgb(image), 3), PIL_DEFAULT), contentType: "image/png" };
  }
  if (channel === "a") {
    const n = image.width * image.height;
    const alpha = image.mode === "RGBA" ? getChannel(image, "A") : new Int32Array(n).fill(255);
    const data = new Uint8Array(n * 4);
    for (let p = 0; p < n; p++) data[p * 4 + 3] = alpha[p] as number;
    return {
      bytes: encodePng({ width: image.width, height: image.height, channels: 4, data }, PIL_DEFAULT),
      contentType: "image/png",
    };
  }
  return undefined;
};

/**
 * `/upload/mask`: the original image (PNG or GIF) converted to RGBA with its alpha replaced by the
 * uploaded mask's alpha, keeping the original's PNG text chunks; written with compress level 4.
 */
export const mergeMask: MaskMerger = async (original, mask) => {
  try {
    const base = convert((await openImage(original)).frames[0] as PilImage, "RGBA");
    const maskImage = (await openImage(mask)).frames[0] as PilImage;
    const alpha =
      maskImage.mode === "RGBA" ? getChannel(maskImage, "A") : getChannel(convert(maskImage, "RGBA"), "A");
    if (maskImage.width !== base.width || maskImage.height !== base.height) return undefined;
    const data = new Uint8Array(base.width * base.height * 4);
    for (let p = 0; p < base.width * base.height; p++) {
      data[p * 4] = base.data[p * 4] as number;
      data[p * 4 + 1] = base.data[p * 4 + 1] as number;
      data[p * 4 + 2] = base.data[p * 4 + 2] as number;
      data[p * 4 + 3] = alpha[p] as number;
    }
    const text = hasPngSignature(original) ? readPngStructure(original, { strict: false }).text : [];
    return encodePng(
      { width: base.width, height: base.height, channels: 4, data },
      { text, compressLevel: 4, pil: PIL_PNG },
    );
  } catch {
    return undefined;
  }
};

/** `img.save(buffer, format="PNG")` without options: zlib's default level 6. */
const PIL_DEFAULT = { compressLevel: 6, pil: PIL_PNG } as const;

function hasAlpha(image: PilImage): boolean {
  return (
    image.mode === "RGBA" || image.mode === "LA" || (image.mode === "P" && image.transparency !== undefined)
  );
}

/** PIL's RGBA → RGB split-and-merge, or `convert("RGB")` for other modes. */
function toRgb(image: PilImage): PilImage {
  return image.mode === "RGBA" ? dropAlpha(image) : convert(image, "RGB");
}

function dropAlpha(image: PilImage): PilImage {
  const n = image.width * image.height;
  const data = new Int32Array(n * 3);
  for (let p = 0; p < n; p++) {
    data[p * 3] = image.data[p * 4] as number;
    data[p * 3 + 1] = image.data[p * 4 + 1] as number;
    data[p * 3 + 2] = image.data[p * 4 + 2] as number;
  }
  return { mode: "RGB", width: image.width, height: image.height, data };
}

function toPixels<C extends 3 | 4>(image: PilImage, channels: C) {
  return { width: image.width, height: image.height, channels, data: Uint8Array.from(image.data) };
}
