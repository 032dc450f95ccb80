import { catBatch, dim, sliceBatch } from "../tensor/ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { defineNode, INT, T } from "./define.js";
import type { Latent } from "./socket-types.js";

const MOD = "comfy_extras.nodes_rebatch";

/** RebatchImages: every image of every incoming batch, regrouped into batches of `batch_size` (a list output). */
export const rebatchImages = defineNode(
  {
    name: "RebatchImages",
    display: "Rebatch Images",
    category: "image/batch",
    module: MOD,
    v3: true,
    inputIsList: true,
    required: { images: T("IMAGE", {}), batch_size: INT({ default: 1, min: 1, max: 4096 }) },
    outputs: [["IMAGE", "IMAGE", true]],
  },
  (inputs) => {
    const images = inputs.images as Tensor[];
    const size = Number((inputs.batch_size as unknown[])[0]);
    const singles = images.flatMap((img) =>
      Array.from({ length: dim(img, 0) }, (_, i) => sliceBatch(img, i, 1)),
    );
    const list: Tensor[] = [];
    for (let i = 0; i < singles.length; i += size) list.push(catBatch(singles.slice(i, i + size)));
    return { outputs: [list] };
  },
);

/**
 * RebatchLatents: latents regrouped into batches of `batch_size`; a change of spatial size closes the
 * current batch. Noise masks that are all ones are dropped, as ComfyUI does.
 */
export const rebatchLatents = defineNode(
  {
    name: "RebatchLatents",
    display: "Rebatch Latents",
    category: "latent/batch",
    module: MOD,
    v3: true,
    inputIsList: true,
    required: { latents: T("LATENT", {}), batch_size: INT({ default: 1, min: 1, max: 4096 }) },
    outputs: [["LATENT", "LATENT", true]],
  },
  (inputs) => {
    const latents = inputs.latents as Latent[];
    const size = Number((inputs.batch_size as unknown[])[0]);
    interface Item {
      sample: Tensor;
      mask: Tensor | undefined;
      index: number;
    }
    const out: Latent[] = [];
    let current: Item[] = [];
    let processed = 0;
    const flush = (items: Item[]) => {
      const masks = items.map((i) => i.mask);
      const latent: Record<string, unknown> = {
        samples: catBatch(items.map((i) => i.sample)),
        batch_index: items.map((i) => i.index),
      };
      if (masks.every((m) => m) && masks.some((m) => (m as Tensor).data.some((v) => v !== 1)))
        latent.noise_mask = catBatch(masks as Tensor[]);
      out.push(latent as unknown as Latent);
    };
    for (const l of latents) {
      const n = dim(l.samples, 0);
      const items: Item[] = Array.from({ length: n }, (_, i) => ({
        sample: sliceBatch(l.samples, i, 1),
        mask: l.noise_mask ? sliceBatch(l.noise_mask, Math.min(i, dim(l.noise_mask, 0) - 1), 1) : undefined,
        index: l.batch_index?.[i] ?? processed + i,
      }));
      processed += n;
      const head = current[0];
      if (head && head.sample.shape.slice(2).join() !== l.samples.shape.slice(2).join()) {
        flush(current.slice(0, size));
        current = [];
      }
      current.push(...items);
      while (current.length > size) {
        flush(current.slice(0, size));
        current = current.slice(size);
      }
    }
    if (current.length > 0) flush(current);
    return { outputs: [out] };
  },
);
