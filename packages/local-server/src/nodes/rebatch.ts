import { catBatch, dim, sliceBatch } from "../tensor/ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { BATCH_SIZE, defineNode, T } from "./define.js";
import type { Latent } from "./socket-types.js";

// comfy_extras/nodes_rebatch.py

const MOD = "comfy_extras.nodes_rebatch";

/** RebatchImages: every image of every incoming batch, regrouped into batches of `batch_size` (a list output). */
const rebatchImages = defineNode(
  {
    name: "RebatchImages",
    display: "Rebatch Images",
    category: "image/batch",
    module: MOD,
    v3: true,
    inputIsList: true,
    required: { images: T("IMAGE", {}), batch_size: BATCH_SIZE },
    outputs: [["IMAGE", "IMAGE", true]],
  },
  (inputs) => {
    const { images } = inputs;
    const size = inputs.batch_size[0] ?? 1;
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
const rebatchLatents = defineNode(
  {
    name: "RebatchLatents",
    display: "Rebatch Latents",
    category: "latent/batch",
    module: MOD,
    v3: true,
    inputIsList: true,
    required: { latents: T("LATENT", {}), batch_size: BATCH_SIZE },
    outputs: [["LATENT", "LATENT", true]],
  },
  (inputs) => {
    const { latents } = inputs;
    const size = inputs.batch_size[0] ?? 1;
    interface Item {
      sample: Tensor;
      mask: Tensor | undefined;
      index: number;
    }
    const out: Latent[] = [];
    let current: Item[] = [];
    let processed = 0;
    const flush = (items: Item[]) => {
      const masks = items.flatMap((i) => (i.mask ? [i.mask] : []));
      const samples = catBatch(items.map((i) => i.sample));
      const batch_index = items.map((i) => i.index);
      const keepMasks = masks.length === items.length && masks.some((m) => m.data.some((v) => v !== 1));
      out.push(keepMasks ? { samples, batch_index, noise_mask: catBatch(masks) } : { samples, batch_index });
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

export const nodes = [rebatchImages, rebatchLatents];
