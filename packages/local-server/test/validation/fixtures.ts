import { parseCatalog } from "@comfy-ts/core";

/** A small hand-written catalog: a source, a sink, widgets of every kind, a latent sink. */
export const CATALOG = parseCatalog({
  Source: {
    input: { required: { width: ["INT", { default: 8, min: 1, max: 64 }] } },
    output: ["IMAGE"],
    output_node: false,
  },
  Widgets: {
    input: {
      required: {
        steps: ["INT", { default: 20, min: 1, max: 100 }],
        seed: ["INT", { default: 0, min: 0, max: 18446744073709551615n }],
        cfg: ["FLOAT", { default: 7.5, min: 0.0, max: 30.0 }],
        text: ["STRING", { multiline: true }],
        flag: ["BOOLEAN", { default: true }],
        sampler: [["euler", "heun"]],
      },
    },
    output: ["LATENT"],
    output_node: false,
  },
  Sink: { input: { required: { images: ["IMAGE", {}] } }, output: [], output_node: true },
  LatentSink: { input: { required: { samples: ["LATENT"] } }, output: [], output_node: true },
});
