import { describe, expect, it } from "vitest";
import type { Tensor } from "../../src/tensor/tensor.js";
import { first, img, mask, rowsOf } from "./run-node.js";

const f = Math.fround;

describe("mask nodes", () => {
  it.each([
    ["multiply", [[f(0.5 * 0.25), 0]]],
    ["add", [[0.75, 1]]],
    ["subtract", [[0.25, 1]]],
    ["and", [[0, 0]]],
    ["or", [[0, 1]]],
    ["xor", [[0, 1]]],
  ])("MaskComposite %s", async (operation, want) => {
    const out = await first<Tensor>("MaskComposite", {
      destination: mask([[0.5, 1]]),
      source: mask([[0.25, 0]]),
      x: 0,
      y: 0,
      operation,
    });
    expect(rowsOf(out)).toEqual(want);
  });

  it("MaskComposite pastes at (x, y) and clips to the destination", async () => {
    const out = await first<Tensor>("MaskComposite", {
      destination: mask([
        [1, 1],
        [1, 1],
      ]),
      source: mask([[0, 0, 0]]),
      x: 1,
      y: 1,
      operation: "multiply",
    });
    expect(rowsOf(out)).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it.each([
    [0.5, [[0, 0, 1]]],
    [0.3, [[0, 1, 1]]],
  ])("ThresholdMask %s", async (value, want) => {
    expect(rowsOf(await first<Tensor>("ThresholdMask", { mask: mask([[0.2, 0.5, 0.9]]), value }))).toEqual(
      want,
    );
  });

  it.each([
    [
      true,
      1,
      [
        [0, 1, 0],
        [1, 1, 1],
        [0, 1, 0],
      ],
    ],
    [
      false,
      1,
      [
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
      ],
    ],
    [
      true,
      -1,
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ],
  ])("GrowMask tapered=%s expand=%s", async (tapered_corners, expand, want) => {
    const m = mask([
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(rowsOf(await first<Tensor>("GrowMask", { mask: m, expand, tapered_corners }))).toEqual(want);
  });

  it("FeatherMask keeps ComfyUI's right/bottom off-by-one (column 0 for x = 0)", async () => {
    const out = await first<Tensor>("FeatherMask", {
      mask: mask([[1, 1, 1, 1]]),
      left: 0,
      top: 0,
      right: 2,
      bottom: 0,
    });
    expect(rowsOf(out)).toEqual([[0.5, 1, 1, 1]]);
  });

  it("SolidMask → InvertMask truncates to 178 when saved (0.3)", async () => {
    const solid = await first<Tensor>("SolidMask", { value: 0.3, width: 1, height: 1 });
    const inv = await first<Tensor>("InvertMask", { mask: solid });
    expect(Math.trunc(f(255 * (inv.data[0] as number)))).toBe(178);
  });

  it("CropMask", async () => {
    const out = await first<Tensor>("CropMask", {
      mask: mask([
        [0, 1, 2],
        [3, 4, 5],
      ]),
      x: 1,
      y: 1,
      width: 5,
      height: 5,
    });
    expect(rowsOf(out)).toEqual([[4, 5]]);
  });

  it.each([
    ["red", 0.1],
    ["green", 0.2],
    ["blue", 0.3],
  ])("ImageToMask %s", async (channel, v) => {
    const out = await first<Tensor>("ImageToMask", { image: img([[[0.1, 0.2, 0.3]]]), channel });
    expect(rowsOf(out)).toEqual([[f(v)]]);
  });

  it("ImageToMask alpha of an RGB image fails with IndexError", async () => {
    await expect(
      first("ImageToMask", { image: img([[[0.1, 0.2, 0.3]]]), channel: "alpha" }),
    ).rejects.toMatchObject({
      exceptionType: "IndexError",
      message: "index 3 is out of bounds for dimension 3 with size 3",
    });
  });

  it("ImageColorToMask matches the rounded 24-bit colour", async () => {
    const out = await first<Tensor>("ImageColorToMask", {
      image: img([
        [
          [1, 0, 0],
          [1, 0, f(1 / 255)],
        ],
      ]),
      color: 0xff0000,
    });
    expect(rowsOf(out)).toEqual([[1, 0]]);
  });

  it("MaskToImage repeats the mask in three channels", async () => {
    const out = await first<Tensor>("MaskToImage", { mask: mask([[0.25]]) });
    expect(out.shape).toEqual([1, 1, 1, 3]);
    expect(Array.from(out.data)).toEqual([0.25, 0.25, 0.25]);
  });

  it("SplitImageWithAlpha / JoinImageWithAlpha: mask = 1 - alpha, both ways", async () => {
    const joined = await first<Tensor>("JoinImageWithAlpha", {
      image: img([[[0.1, 0.2, 0.3]]]),
      alpha: mask([[0.25]]),
    });
    expect(Array.from(joined.data)).toEqual([f(0.1), f(0.2), f(0.3), 0.75]);
    const { outputs } = await (await import("./run-node.js")).run("SplitImageWithAlpha", { image: joined });
    expect(Array.from(((outputs ?? [])[1] as Tensor).data)).toEqual([0.25]);
  });
});
