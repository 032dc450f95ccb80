import type { PilPngWriter } from "@comfy-ts/core/png";
import { deflate } from "pako";

/**
 * PNG bytes as Pillow 9.4 writes them (its filter choice and chunking live in core's encoder): the
 * deflate stream comes from pako, a port of zlib, with Pillow's ZipEncode settings (Z_FILTERED,
 * memLevel 9, window 15) and zlib's classic hash (`legacyHash`) — identical to the zlib 1.2.13 the
 * recordings were made with. Node's bundled zlib is Chromium's fork, whose streams differ (same
 * pixels, other bytes).
 */
export const PIL_PNG: PilPngWriter = {
  deflate: (scanlines, level) =>
    deflate(scanlines, { level, memLevel: 9, windowBits: 15, strategy: 1, legacyHash: true }),
};
