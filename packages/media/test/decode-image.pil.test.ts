import { describeWithPython, pilImageCases } from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import { decodeImage, orientImage } from "../src/index.js";

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

/** Where two sample arrays first differ, and by how much at most (a readable failure). */
function difference(actual: ArrayLike<number>, expected: ArrayLike<number>): string | undefined {
  if (actual.length !== expected.length) return `${actual.length} samples, expected ${expected.length}`;
  let first = -1;
  let count = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (d === 0) continue;
    if (first < 0) first = i;
    count++;
    worst = Math.max(worst, d);
  }
  return count === 0
    ? undefined
    : `${count} samples differ (first at ${first}: ${actual[first]} vs ${expected[first]}), by up to ${worst}`;
}

// Files of every format PIL writes (and hand-made BMP forms it only reads), in many sizes, JPEG
// subsamplings/qualities, WebP qualities/alpha/animation, PNG modes, APNG disposal/blend, GIF
// disposal/transparency, TIFF compressions: decodeImage must give exactly PIL 9.4's samples.
describeWithPython("decodeImage equals PIL 9.4 (generated files)", ["PIL", "numpy"], (python) => {
  const cases = pilImageCases(python);

  test("the generator made every kind of file", () => {
    const kinds = new Set(cases.map((c) => c.name.split(" ")[0]));
    expect([...kinds].sort()).toEqual(["apng", "bmp", "gif", "jpeg", "png", "tiff", "webp"]);
    expect(cases.length).toBeGreaterThan(150);
  });

  test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const decoded = await decodeImage(fromBase64(c.file), { name: c.name });
    const layout = c.layout === "gray16" ? "gray" : c.layout;
    expect([decoded.layout, decoded.bitDepth], "layout and bit depth").toEqual([layout, c.bitDepth]);
    expect(decoded.frames.length, "frame count").toBe(c.frames.length);
    for (const [i, frame] of c.frames.entries()) {
      const raw = fromBase64(frame.data);
      const expected = c.bitDepth === 16 ? new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2) : raw;
      const actual = decoded.frames[i]!;
      expect(difference(actual.data, expected), `frame ${i}`).toBeUndefined();
      if (frame.durationMs !== undefined && frame.durationMs !== null && c.frames.length > 1) {
        expect(actual.durationMs, `frame ${i} duration`).toBe(frame.durationMs);
      }
    }
    if (c.loop !== undefined) expect(decoded.loop, "loop").toBe(c.loop);
    if (c.orientation !== undefined) {
      expect(decoded.orientation, "orientation").toBe(c.orientation);
      const oriented = orientImage(decoded);
      expect([oriented.width, oriented.height]).toEqual([c.oriented!.width, c.oriented!.height]);
      expect(
        difference(oriented.frames[0]!.data, fromBase64(c.oriented!.data)),
        "exif_transpose",
      ).toBeUndefined();
    }
  });
});
