import { describe, expect, it } from "vitest";
import type { Tensor } from "../../src/tensor/tensor.js";
import { tensor } from "../../src/tensor/tensor.js";
import { first, rowsOf } from "./run-node.js";

/** A [1, h, w, 3] image filled with one grey value. */
const grey = (h: number, w: number, v: number) => tensor([1, h, w, 3], new Float32Array(h * w * 3).fill(v));

describe("ImageStitch", () => {
  it("without image2 returns image1", async () => {
    const a = grey(2, 2, 0.5);
    expect(
      await first("ImageStitch", {
        image1: a,
        direction: "right",
        match_image_size: true,
        spacing_width: 0,
        spacing_color: "white",
      }),
    ).toBe(a);
  });

  it.each([
    ["right", [1, 2, 5, 3], [0.2, 0.2, 0.8, 0.8, 0.8]],
    ["left", [1, 2, 5, 3], [0.8, 0.8, 0.8, 0.2, 0.2]],
  ])(
    "%s without matching pads the shorter image (white → 1) and concatenates",
    async (direction, shape, firstRow) => {
      const out = await first<Tensor>("ImageStitch", {
        image1: grey(2, 2, 0.2),
        image2: grey(1, 3, 0.8),
        direction,
        match_image_size: false,
        spacing_width: 0,
        spacing_color: "white",
      });
      expect(out.shape).toEqual(shape);
      expect(rowsOf(out, 0)[0]?.map((v) => Math.round(v * 10) / 10)).toEqual(firstRow);
      // The padded row of image2 (1 px tall in a 2 px row) is the spacing colour's grey value.
      expect(rowsOf(out, 0)[1]?.map((v) => Math.round(v * 10) / 10)).toContain(1);
    },
  );

  it("down with spacing inserts an even-width band of the colour", async () => {
    const out = await first<Tensor>("ImageStitch", {
      image1: grey(1, 2, 0),
      image2: grey(1, 2, 0),
      direction: "down",
      match_image_size: false,
      spacing_width: 3,
      spacing_color: "red",
    });
    expect(out.shape).toEqual([1, 6, 2, 3]);
    expect(Array.from(out.data.slice(6, 9))).toEqual([1, 0, 0]);
  });

  it("repeats the last image of the shorter batch", async () => {
    const b2 = tensor([2, 1, 1, 3], new Float32Array(6).fill(0.5));
    const out = await first<Tensor>("ImageStitch", {
      image1: grey(1, 1, 0),
      image2: b2,
      direction: "right",
      match_image_size: false,
      spacing_width: 0,
      spacing_color: "black",
    });
    expect(out.shape).toEqual([2, 1, 2, 3]);
  });
});
