import { describe, expect, it } from "vitest";
import type { Tensor } from "../../src/tensor/tensor.js";
import { first, img, rowsOf, run, testContext } from "./run-node.js";

const f = Math.fround;
// 3×2 image whose red channel numbers the pixels row by row.
const numbered = () =>
  img([
    [
      [0, 0, 0],
      [0.1, 0, 0],
      [0.2, 0, 0],
    ],
    [
      [0.3, 0, 0],
      [0.4, 0, 0],
      [0.5, 0, 0],
    ],
  ]);
const red = (t: Tensor) => rowsOf(t, 0).map((r) => r.map((v) => Math.round(v * 10)));

describe("image transforms", () => {
  it.each([
    ["crop inside", { width: 2, height: 1, x: 1, y: 1 }, [[4, 5]]],
    ["crop clamps x, y to the last pixel", { width: 5, height: 5, x: 100, y: 100 }, [[5]]],
    [
      "crop clips the far edge",
      { width: 9, height: 9, x: 1, y: 0 },
      [
        [1, 2],
        [4, 5],
      ],
    ],
  ])("ImageCrop: %s", async (_name, args, want) => {
    expect(red(await first("ImageCrop", { image: numbered(), ...args }))).toEqual(want);
  });

  it.each([
    [
      "x-axis: vertically",
      [
        [3, 4, 5],
        [0, 1, 2],
      ],
    ],
    [
      "y-axis: horizontally",
      [
        [2, 1, 0],
        [5, 4, 3],
      ],
    ],
  ])("ImageFlip %s", async (flip_method, want) => {
    expect(red(await first("ImageFlip", { image: numbered(), flip_method }))).toEqual(want);
  });

  it.each([
    [
      "none",
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
    ],
    [
      "90 degrees",
      [
        [3, 0],
        [4, 1],
        [5, 2],
      ],
    ],
    [
      "180 degrees",
      [
        [5, 4, 3],
        [2, 1, 0],
      ],
    ],
    [
      "270 degrees",
      [
        [2, 5],
        [1, 4],
        [0, 3],
      ],
    ],
  ])("ImageRotate %s (torch.rot90 dims=[2, 1])", async (rotation, want) => {
    expect(red(await first("ImageRotate", { image: numbered(), rotation }))).toEqual(want);
  });

  it("ImageInvert is 1 - x in float32", async () => {
    const out = await first<Tensor>("ImageInvert", { image: img([[[0.2, 1, 0]]]) });
    expect(Array.from(out.data)).toEqual([f(1 - f(0.2)), 0, 1]);
  });

  it.each([
    ["black", 0x000000, [0, 0, 0]],
    ["red", 0xff0000, [1, 0, 0]],
    ["mixed", 0x00aa55, [0, f(0xaa / 255), f(0x55 / 255)]],
  ])("EmptyImage %s", async (_n, color, rgb) => {
    const out = await first<Tensor>("EmptyImage", { width: 2, height: 1, batch_size: 2, color });
    expect(out.shape).toEqual([2, 1, 2, 3]);
    expect(Array.from(out.data.slice(0, 3))).toEqual(rgb);
  });

  it("ImagePadForOutpaint pads with 0.5 and feathers the mask towards the padded sides", async () => {
    const out = await run("ImagePadForOutpaint", {
      image: numbered(),
      left: 1,
      top: 0,
      right: 0,
      bottom: 0,
      feathering: 0,
    });
    const [image, m] = out.outputs as [Tensor, Tensor];
    expect(image.shape).toEqual([1, 2, 4, 3]);
    expect(rowsOf(image, 0)[0]).toEqual([0.5, 0, f(0.1), f(0.2)]);
    expect(rowsOf(m)).toEqual([
      [1, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
  });

  it.each([
    ["repeat", "RepeatImageBatch", { amount: 3 }, [3, 2, 3, 3]],
    ["from batch clamps index and length", "ImageFromBatch", { batch_index: 9, length: 9 }, [1, 2, 3, 3]],
  ])("%s", async (_n, node, args, shape) => {
    const out = await first<Tensor>(node, { image: numbered(), ...args });
    expect(out.shape).toEqual(shape);
  });

  it("ImageScale with width 0 keeps the aspect (Python round)", async () => {
    const out = await first<Tensor>("ImageScale", {
      image: numbered(),
      upscale_method: "nearest-exact",
      width: 0,
      height: 4,
      crop: "disabled",
    });
    expect(out.shape).toEqual([1, 4, 6, 3]);
  });

  it("ImageScaleBy rounds half to even (1×1 × 2.5 → 2×2)", async () => {
    const out = await first<Tensor>("ImageScaleBy", {
      image: img([[[1, 0, 0]]]),
      upscale_method: "lanczos",
      scale_by: 2.5,
    });
    expect(out.shape).toEqual([1, 2, 2, 3]);
  });

  it("GetImageSize returns width, height, batch and sends ComfyUI's progress text", async () => {
    const ctx = testContext();
    const res = await run("GetImageSize", { image: numbered() }, ctx);
    expect(res.outputs).toEqual([3, 2, 1]);
    expect(ctx.texts).toEqual(["width: 3, height: 2\n batch size: 1"]);
  });

  it("ImageBlend 'difference' is signed and clamped", async () => {
    const a = img([[[0.2, 0.8, 0.5]]]);
    const b = img([[[0.6, 0.3, 0.5]]]);
    const out = await first<Tensor>("ImageBlend", {
      image1: a,
      image2: b,
      blend_factor: 1,
      blend_mode: "difference",
    });
    expect(Array.from(out.data)).toEqual([0, f(f(0.8) - f(0.3)), 0]);
  });

  it("ImageBlend rejects an unknown mode at run time (V3 combos are not validated)", async () => {
    const a = img([[[0, 0, 0]]]);
    await expect(
      first("ImageBlend", { image1: a, image2: a, blend_factor: 1, blend_mode: "bogus" }),
    ).rejects.toMatchObject({
      exceptionType: "ValueError",
      message: "Unsupported blend mode: bogus",
    });
  });

  const pad = "Padding size should be less than the corresponding input dimension, but got: padding (1, 1)";
  it.each([
    ["1×1: the width (checked first)", [[[1, 1, 1]]], `Argument #4: ${pad} at dimension 3 of input 4`],
    [
      "3 wide, 1 high: the height",
      [
        [
          [1, 1, 1],
          [0, 0, 0],
          [1, 1, 1],
        ],
      ],
      `Argument #6: ${pad} at dimension 2 of input 4`,
    ],
  ])(
    "ImageBlur on a too small image fails like torch's reflect padding (%s)",
    async (_what, rows, message) => {
      await expect(first("ImageBlur", { image: img(rows), blur_radius: 1, sigma: 1 })).rejects.toMatchObject({
        exceptionType: "RuntimeError",
        message,
      });
    },
  );
});

describe("resampling to an empty size", () => {
  it.each([
    [
      "bilinear",
      "RuntimeError",
      "Input and output sizes should be greater than 0, but got input (H: 2, W: 3) output (H: 0, W: 0)",
    ],
    ["lanczos", "ValueError", "height and width must be > 0"],
  ])("ImageScaleBy %s fails as torch/PIL do", async (upscale_method, exceptionType, message) => {
    await expect(
      first("ImageScaleBy", { image: numbered(), upscale_method, scale_by: 0.01 }),
    ).rejects.toMatchObject({
      exceptionType,
      message,
    });
  });
});
