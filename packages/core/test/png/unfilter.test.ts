import { describe, expect, test } from "vitest";
import { expectedInflatedLength, pngPasses, unfilterRow } from "../../src/png/index.js";

// The filters as the PNG specification writes them (one byte at a time, Paeth with its tie order).
function reference(filter: number, row: number[], prev: number[] | undefined, bpp: number): number[] {
  const out = [...row];
  for (let i = 0; i < out.length; i++) {
    const a = i >= bpp ? out[i - bpp]! : 0;
    const b = prev?.[i] ?? 0;
    const c = i >= bpp ? (prev?.[i - bpp] ?? 0) : 0;
    const p = a + b - c;
    const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
    const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    out[i] = (out[i]! + [0, a, b, (a + b) >> 1, paeth][filter]!) & 0xff;
  }
  return out;
}

function noise(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return (s >> 16) & 0xff;
  });
}

describe("unfilterRow matches the specification", () => {
  const cases = [0, 1, 2, 3, 4].flatMap((filter) =>
    [1, 2, 3, 4, 6, 8].flatMap((bpp) => [true, false].map((first) => ({ filter, bpp, first }))),
  );
  test.each(cases)("filter $filter, $bpp bytes per pixel, first row: $first", ({ filter, bpp, first }) => {
    const stride = bpp * 7;
    const prev = noise(stride, filter * 31 + bpp);
    const row = noise(stride, filter * 17 + bpp + 1);
    // One buffer as in a decoder: [filter byte, previous line, filter byte, this line].
    const raw = Uint8Array.from([filter, ...prev, filter, ...row]);
    expect(unfilterRow(raw, stride + 2, first ? -1 : 1, stride, bpp, filter)).toBe(true);
    expect([...raw.subarray(stride + 2)]).toEqual(reference(filter, row, first ? undefined : prev, bpp));
  });

  test("an unknown filter type is reported, not applied", () => {
    const raw = Uint8Array.of(5, 1, 2, 3);
    expect(unfilterRow(raw, 1, -1, 3, 1, 5)).toBe(false);
    expect([...raw]).toEqual([5, 1, 2, 3]);
  });
});

describe("passes", () => {
  test.each([
    [{ width: 4, height: 3, bitDepth: 8, colorType: 2, interlace: 0 }, [[0, 0, 1, 1, 4, 3]], 3 * 13],
    [{ width: 1, height: 1, bitDepth: 8, colorType: 6, interlace: 1 }, [[0, 0, 8, 8, 1, 1]], 5],
    [
      { width: 3, height: 3, bitDepth: 1, colorType: 0, interlace: 1 },
      [
        [0, 0, 8, 8, 1, 1],
        [2, 0, 4, 4, 1, 1],
        [0, 2, 2, 4, 2, 1],
        [1, 0, 2, 2, 1, 2],
        [0, 1, 1, 2, 3, 1],
      ],
      12,
    ],
  ])("%j", (header, passes, length) => {
    expect(pngPasses(header)).toEqual(passes);
    expect(expectedInflatedLength(header)).toBe(length);
  });
});
