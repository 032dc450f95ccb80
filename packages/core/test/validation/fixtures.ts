import { parseCatalog } from "../../src/catalog/index.js";

/** A small hand-written catalog covering every input kind validation distinguishes. */
export const CATALOG = parseCatalog({
  Source: {
    input: { required: { width: ["INT", { default: 8, min: 1, max: 64 }] } },
    output: ["IMAGE", "MASK", ["a", "b"], "STRING,INT", "*"],
    output_name: ["image", "mask", "choice", "multi", "any"],
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
        sampler: [["euler", "heun", 1, 2.5]],
      },
      optional: {
        mode: ["COMBO", { options: ["fast", "slow"], default: "fast" }],
        tags: ["COMBO", { options: ["a", "b", "c"], multiselect: true }],
        big: [Array.from({ length: 25 }, (_, i) => `f${i}.safetensors`)],
      },
    },
    output: ["LATENT"],
    output_node: false,
  },
  Sink: {
    input: {
      required: { images: ["IMAGE", {}] },
      optional: {
        any: ["*"],
        multi: ["STRING,BOOLEAN"],
        combo: ["COMBO", {}],
        value: ["INT", { forceInput: true }],
      },
    },
    output: [],
    output_node: true,
  },
  LatentSink: { input: { required: { samples: ["LATENT"] } }, output: [], output_node: true },
  Switch: {
    input: {
      required: {
        on_true: ["COMFY_MATCHTYPE_V3", { template: { template_id: "t", allowed_types: "*" } }],
        on_false: ["COMFY_MATCHTYPE_V3", { template: { template_id: "t", allowed_types: "*" } }],
      },
    },
    output: ["COMFY_MATCHTYPE_V3"],
    output_matchtypes: ["t"],
    output_node: false,
  },
  Batch: {
    input: {
      required: {
        images: [
          "COMFY_AUTOGROW_V3",
          {
            template: {
              input: { required: { image: ["IMAGE", {}] } },
              names: ["image_1", "image_2", "image_3"],
              min: 2,
            },
          },
        ],
      },
    },
    output: ["IMAGE"],
    output_node: false,
  },
  SaveAudio: {
    input: {
      required: {
        audio: ["AUDIO", {}],
        format: [
          "COMFY_DYNAMICCOMBO_V3",
          {
            options: [
              { key: "flac", inputs: { required: {} } },
              {
                key: "mp3",
                inputs: { required: { quality: ["COMBO", { options: ["V0", "128k", "320k"] }] } },
              },
            ],
          },
        ],
      },
    },
    output: [],
    output_node: true,
  },
  LoadAudio: { input: { required: { file: [["a.wav"]] } }, output: ["AUDIO"], output_node: false },
  LoadImage: {
    input: { required: { image: [["a.png", "b.png"], { image_upload: true }] } },
    output: ["IMAGE", "MASK"],
    output_node: false,
  },
});
