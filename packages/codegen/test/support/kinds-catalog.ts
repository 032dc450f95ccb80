// A small hand-written /object_info covering every input kind, output shape and naming case codegen
// handles. Its generated module is the file snapshot in ../generated/kinds/ (imported by type tests).

const many = Array.from({ length: 205 }, (_, i) => `preset_${String(i).padStart(3, "0")}`);

export const kindsCatalog = {
  Widgets: {
    input: {
      required: {
        seed: [
          "INT",
          {
            default: 0,
            min: 0,
            max: 18446744073709551615n,
            control_after_generate: true,
            tooltip: "The seed.",
          },
        ],
        steps: ["INT", { default: 20, min: 1, max: 10000 }],
        width: ["INT", { min: 16, max: 8192, step: 8 }],
        cfg: ["FLOAT", { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 }],
        text: [
          "STRING",
          {
            multiline: true,
            dynamicPrompts: true,
            tooltip: "Ends a comment */ and starts a line\n@with a tag.",
          },
        ],
        enabled: ["BOOLEAN", { default: true, label_on: "on", label_off: "off" }],
      },
      optional: {
        note: ["STRING", { default: "" }],
        strength: ["FLOAT", { default: 1.0 }],
      },
      hidden: { prompt: "PROMPT", unique_id: "UNIQUE_ID" },
    },
    input_order: {
      required: ["seed", "steps", "width", "cfg", "text", "enabled"],
      optional: ["note", "strength"],
      hidden: ["prompt", "unique_id"],
    },
    output: ["INT"],
    output_is_list: [false],
    output_name: ["INT"],
    name: "Widgets",
    display_name: "Every widget",
    description: "Widgets of every primitive type.",
    python_module: "nodes",
    category: "testing/widgets",
    output_node: false,
  },
  Combos: {
    input: {
      required: {
        sampler_name: [["euler", "euler_ancestral", "dpmpp_2m"], { tooltip: "Fixed choices." }],
        mode: ["COMBO", { options: ["enable", "disable"], default: "enable", multiselect: false }],
        ckpt_name: [["sd_xl_base_1.0.safetensors", "v1-5-pruned-emaonly.ckpt"]],
        image: [["example.png", "photo (2).webp"], { image_upload: true }],
        lora_name: [[]],
        numbers: [[1, 2, 4]],
        preset: [many],
        labels: ["COMBO", { options: ["red", "green", "blue"], multiselect: true }],
      },
    },
    output: [],
    output_is_list: [],
    output_name: [],
    name: "Combos",
    display_name: "Combos",
    description: "",
    python_module: "custom_nodes.test_pack",
    category: "testing",
    output_node: true,
  },
  Sockets: {
    input: {
      required: {
        image: ["IMAGE"],
        anything: ["*"],
        value: ["STRING,INT", { tooltip: "A MultiType input." }],
        custom: ["MY_PACK_TYPE"],
        count: ["INT", { default: 4, forceInput: true }],
        width: ["INT", { default: 512, defaultInput: true }],
      },
      optional: { mask: ["MASK"], lazy_image: ["IMAGE", { lazy: true }] },
    },
    output: ["IMAGE", "MASK", "IMAGE", "INT", "FLOAT", ["a", "b"], "*"],
    output_is_list: [false, false, false, true, false, false, false],
    output_name: ["IMAGE", "MASK", "IMAGE", "", "7", "choice", "any"],
    name: "Sockets",
    display_name: "Sockets and outputs",
    description: "",
    python_module: "custom_nodes.test_pack",
    category: "testing",
    output_node: false,
    deprecated: true,
  },
  ComfySwitchNode: {
    input: {
      required: {
        switch: ["BOOLEAN", {}],
        on_false: [
          "COMFY_MATCHTYPE_V3",
          { lazy: true, template: { template_id: "switch", allowed_types: "*" } },
        ],
        on_true: [
          "COMFY_MATCHTYPE_V3",
          { lazy: true, template: { template_id: "switch", allowed_types: "*" } },
        ],
      },
    },
    input_order: { required: ["switch", "on_false", "on_true"] },
    output: ["COMFY_MATCHTYPE_V3"],
    output_is_list: [false],
    output_name: ["output"],
    output_matchtypes: ["switch"],
    output_tooltips: [null],
    name: "ComfySwitchNode",
    display_name: "Switch",
    description: "",
    python_module: "comfy_extras.nodes_logic",
    category: "logic",
    output_node: false,
    deprecated: false,
    experimental: true,
    dev_only: false,
    api_node: false,
    price_badge: null,
    search_aliases: null,
  },
  BatchImages: {
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
        masks: [
          "COMFY_AUTOGROW_V3",
          { template: { input: { required: { mask: ["MASK", {}] } }, prefix: "mask", min: 0, max: 2 } },
        ],
      },
    },
    input_order: { required: ["images", "masks"] },
    output: ["IMAGE"],
    output_is_list: [false],
    output_name: ["IMAGE"],
    name: "BatchImages",
    display_name: "Batch Images",
    description: "",
    python_module: "comfy_extras.nodes_images",
    category: "image",
    output_node: false,
  },
  SaveAudio: {
    input: {
      required: {
        audio: ["AUDIO", {}],
        filename_prefix: ["STRING", { default: "audio/ComfyUI" }],
        format: [
          "COMFY_DYNAMICCOMBO_V3",
          {
            tooltip: "Container and codec.",
            options: [
              { key: "flac", inputs: { required: {} } },
              {
                key: "mp3",
                inputs: {
                  required: {
                    quality: [
                      "COMBO",
                      { multiselect: false, options: ["V0", "128k", "320k"], default: "V0" },
                    ],
                  },
                },
              },
              {
                key: "opus",
                inputs: {
                  required: {
                    quality: ["COMBO", { multiselect: false, options: ["64k", "128k"], default: "128k" }],
                  },
                },
              },
            ],
          },
        ],
      },
      hidden: { prompt: ["PROMPT"], extra_pnginfo: ["EXTRA_PNGINFO"] },
    },
    input_order: { required: ["audio", "filename_prefix", "format"], hidden: ["prompt", "extra_pnginfo"] },
    output: [],
    output_is_list: [],
    output_name: [],
    name: "SaveAudio",
    display_name: null,
    description: "Saves audio.",
    python_module: "comfy_extras.nodes_audio",
    category: "audio",
    output_node: true,
  },
  "KSampler (Efficient)": node("KSampler (Efficient)", "KSampler (Eff.)"),
  "ShowText|pysssss": node("ShowText|pysssss", "Show Text 🐍"),
  "Image Resize+": node("Image Resize+", "🔧 Image Resize"),
  Image_Resize_plus: node("Image_Resize_plus", "Resize (identifier already)"),
  "3DLoader": node("3DLoader", "Load 3D"),
  delete: node("delete", "A reserved word"),
  图像反转: node("图像反转", "Invert (unicode name)"),
  "🔥": node("🔥", "Emoji only"),
  nodes: node("nodes", "Collides with the lookup record"),
} as const;

function node(name: string, displayName: string) {
  return {
    input: { required: { image: ["IMAGE"] } },
    output: ["IMAGE"],
    output_is_list: [false],
    output_name: ["IMAGE"],
    name,
    display_name: displayName,
    description: "",
    python_module: "custom_nodes.names",
    category: "names",
    output_node: false,
  };
}
