import { describeWithPython } from "@comfy-ts/test-support";
import { convKernel } from "../../src/tensor/conv2d-path.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import {
  byNode,
  type Content,
  compareFamilies,
  type NodeCase,
  pick,
  REFERENCE_MODULES,
  randInt,
  randomTensor,
  seeded,
} from "./reference.js";

/**
 * ImageBlur, ImageSharpen (torch's conv2d after reflect padding) and ImageBlend (every mode, images of
 * other sizes and channel counts, which ComfyUI fits with bicubic) against ComfyUI's node bodies on the
 * real torch 1.13: random sizes, radii, sigmas, factors and contents from fixed seeds, float32-exact.
 * Blur and sharpen cases are drawn so every convolution kernel torch can pick occurs (its small
 * one-channel path, oneDNN's JIT, GEMM and reference kernels; see `conv2d-path.ts`).
 */
const CONTENTS: readonly Content[] = ["bytes", "float", "ramp", "bytes"];
const MODES = ["normal", "multiply", "screen", "overlay", "soft_light", "difference"] as const;

function cases(): NodeCase[] {
  const r = seeded(31);
  const out: NodeCase[] = [];
  const image = (b: number, c = pick(r, [3, 3, 4, 1])) => {
    const h = pick(r, [randInt(r, 1, 40), randInt(r, 4, 40)]);
    const w = pick(r, [randInt(r, 1, 40), randInt(r, 4, 40)]);
    const content = pick(r, CONTENTS);
    return { t: randomTensor([b, h, w, c], content, r), label: `${b}×${h}×${w}×${c} ${content}` };
  };
  /**
   * An image the convolution of `radius` can pad: larger than the radius, sometimes much larger, within
   * a budget of multiply-adds so the suite stays fast.
   */
  const convImage = (radius: number) => {
    const b = pick(r, [1, 1, 2]);
    const c = pick(r, [3, 3, 4, 1, 2]);
    const budget = Math.sqrt(3e6 / (b * c * (2 * radius + 1) ** 2));
    const side = () =>
      Math.max(
        radius + 1,
        Math.min(
          Math.floor(budget),
          radius + pick(r, [randInt(r, 1, 6), randInt(r, 1, 40), randInt(r, 30, 90)]),
        ),
      );
    const h = side();
    const w = side();
    const content = pick(r, CONTENTS);
    return { t: randomTensor([b, h, w, c], content, r), label: `${b}×${h}×${w}×${c} ${content}` };
  };
  const radius = (max: number) =>
    pick(r, [1, 1, 2, 3, randInt(r, 1, 6), randInt(r, 7, max), randInt(r, 1, max)]);
  for (let i = 0; i < 40; i++) {
    const blur_radius = radius(31);
    const { t, label } = convImage(blur_radius);
    const sigma = pick(r, [0.1, 0.5, 1, 2, Math.round(r() * 100) / 10 + 0.1]);
    out.push({
      node: "ImageBlur",
      inputs: { image: t, blur_radius, sigma },
      label: `ImageBlur ${label} r${blur_radius} σ${sigma}`,
    });
  }
  for (let i = 0; i < 40; i++) {
    const sharpen_radius = radius(31);
    const { t, label } = convImage(sharpen_radius);
    const sigma = pick(r, [0.1, 0.5, 1, Math.round(r() * 1000) / 100 + 0.1]);
    const alpha = pick(r, [0, 0.5, 1, 3, Math.round(r() * 500) / 100]);
    out.push({
      node: "ImageSharpen",
      inputs: { image: t, sharpen_radius, sigma, alpha },
      label: `ImageSharpen ${label} r${sharpen_radius} σ${sigma} α${alpha}`,
    });
  }
  // Blur and sharpen hand on a view in NCHW memory order, which decides the kernel (and the roundings)
  // of a following bilinear or area resize; nearest and bicubic do not depend on it.
  for (let i = 0; i < 24; i++) {
    const node = i % 2 === 0 ? "ImageBlur" : "ImageSharpen";
    const radius = pick(r, [1, 2, 3, randInt(r, 1, 8)]);
    const { t, label } = convImage(radius);
    const inputs =
      node === "ImageBlur"
        ? { image: t, blur_radius: radius, sigma: pick(r, [0.5, 1, 2]) }
        : { image: t, sharpen_radius: radius, sigma: pick(r, [0.5, 1, 2]), alpha: pick(r, [0.5, 1, 3]) };
    const upscale_method = pick(r, ["bilinear", "bilinear", "area", "bicubic", "nearest-exact"]);
    const followedBy =
      r() < 0.5
        ? {
            node: "ImageScaleBy",
            input: "image",
            inputs: { upscale_method, scale_by: pick(r, [2, 0.5, 1.3, 0.75]) },
          }
        : {
            node: "ImageScale",
            input: "image",
            inputs: {
              upscale_method,
              width: pick(r, [1, randInt(r, 1, 64)]),
              height: pick(r, [1, randInt(r, 1, 64)]),
              crop: pick(r, ["disabled", "center"]),
            },
          };
    out.push({
      node,
      inputs,
      followedBy,
      label: `${node} ${label} r${radius} then ${followedBy.node} ${upscale_method} ${JSON.stringify(followedBy.inputs)}`,
    });
  }
  // A radius the image cannot be reflect-padded by fails as torch fails.
  for (const [h, w] of [
    [5, 40],
    [40, 9],
  ] as const) {
    out.push({
      node: "ImageBlur",
      inputs: { image: randomTensor([1, h, w, 3], "bytes", r), blur_radius: 12, sigma: 1 },
      label: `ImageBlur 1×${h}×${w}×3 r12 (larger than the image)`,
    });
  }
  for (let i = 0; i < 60; i++) {
    const b = pick(r, [1, 1, 2]);
    const channels = pick(r, [3, 3, 4, 1]);
    const a = image(b, channels);
    const same = r() < 0.4;
    // Other channel counts go through node_helpers.image_alpha_fix; other batch sizes broadcast or fail.
    const second = same
      ? { t: randomTensor(a.t.shape, pick(r, CONTENTS), r), label: "same size" }
      : image(pick(r, [b, b, 1, 2]), pick(r, [channels, channels, 1, 3, 4]));
    const blend_mode = MODES[i % MODES.length] as string;
    const blend_factor = pick(r, [0, 0.5, 1, 0.7, Math.round(r() * 100) / 100]);
    out.push({
      node: "ImageBlend",
      inputs: { image1: a.t, image2: second.t, blend_factor, blend_mode },
      label: `ImageBlend ${a.label} with ${second.label} ${blend_mode} ${blend_factor}`,
    });
  }
  return out;
}

describeWithPython("blur, sharpen and blend vs torch 1.13 (float32-exact)", REFERENCE_MODULES, (python) => {
  const families = byNode(cases());
  // Small one-channel 3×3 convolutions run on torch's slow_conv2d, whose GEMM is the BLAS's.
  const slow = (c: NodeCase) => {
    const t = c.inputs.image as Tensor;
    const radius = Number(c.inputs.blur_radius ?? c.inputs.sharpen_radius);
    const [batch, h, w, channels] = t.shape as [number, number, number, number];
    return (
      convKernel({ batch, channels, height: h + 2 * radius, width: w + 2 * radius, radius }) === "thnn-slow"
    );
  };
  const convolutions = [...(families.ImageBlur ?? []), ...(families.ImageSharpen ?? [])];
  const onBlas = "ImageBlur, ImageSharpen on torch's slow_conv2d";
  const resized = "ImageBlur, ImageSharpen, then ImageScale or ImageScaleBy";
  compareFamilies(
    python,
    {
      ImageBlur: (families.ImageBlur ?? []).filter((c) => !slow(c) && !c.followedBy),
      ImageSharpen: (families.ImageSharpen ?? []).filter((c) => !slow(c) && !c.followedBy),
      [onBlas]: convolutions.filter((c) => slow(c) && !c.followedBy),
      [resized]: convolutions.filter((c) => !slow(c) && c.followedBy),
      ImageBlend: families.ImageBlend ?? [],
    },
    { needsOpenBlas: [onBlas] },
  );
});
