import { describe, expect, it } from "vitest";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import { type UiToApiOptions, UnknownNodeTypeError, uiToApi } from "../../src/workflow/index.js";
import { miniCatalog } from "./support/mini-catalog.js";
import { type LinkSpec, node, subgraph, workflow } from "./support/ui-builder.js";

// The editor's default graph, as File → Save writes it (0.4).
const ckpt = (wv: unknown[] = ["a.safetensors"]) =>
  node(4, "CheckpointLoaderSimple", {
    wv,
    outputs: [
      ["MODEL", "MODEL"],
      ["CLIP", "CLIP"],
      ["VAE", "VAE"],
    ],
  });
const defaultNodes = () => [
  ckpt(),
  node(6, "CLIPTextEncode", {
    wv: ["a cat"],
    inputs: [["clip", "CLIP", 3]],
    outputs: [["CONDITIONING", "CONDITIONING"]],
  }),
  node(7, "CLIPTextEncode", {
    wv: ["blurry"],
    inputs: [["clip", "CLIP", 5]],
    outputs: [["CONDITIONING", "CONDITIONING"]],
  }),
  node(5, "EmptyLatentImage", { wv: [512, 768, 1], outputs: [["LATENT", "LATENT"]] }),
  node(3, "KSampler", {
    wv: [156680208700286, "randomize", 20, 8, "euler", "normal", 1],
    inputs: [
      ["model", "MODEL", 1],
      ["positive", "CONDITIONING", 4],
      ["negative", "CONDITIONING", 6],
      ["latent_image", "LATENT", 2],
    ],
    outputs: [["LATENT", "LATENT"]],
  }),
  node(8, "VAEDecode", {
    inputs: [
      ["samples", "LATENT", 7],
      ["vae", "VAE", 8],
    ],
    outputs: [["IMAGE", "IMAGE"]],
  }),
  node(9, "SaveImage", { wv: ["ComfyUI"], inputs: [["images", "IMAGE", 9]] }),
];
const defaultLinks: LinkSpec[] = [
  [1, 4, 0, 3, 0, "MODEL"],
  [2, 5, 0, 3, 3, "LATENT"],
  [3, 4, 1, 6, 0, "CLIP"],
  [4, 6, 0, 3, 1, "CONDITIONING"],
  [5, 4, 1, 7, 0, "CLIP"],
  [6, 7, 0, 3, 2, "CONDITIONING"],
  [7, 3, 0, 8, 0, "LATENT"],
  [8, 4, 2, 8, 1, "VAE"],
  [9, 8, 0, 9, 0, "IMAGE"],
];

const defaultPrompt: ApiPrompt = {
  "4": {
    class_type: "CheckpointLoaderSimple",
    inputs: { ckpt_name: "a.safetensors" },
    _meta: { title: "Load Checkpoint" },
  },
  "6": {
    class_type: "CLIPTextEncode",
    inputs: { text: "a cat", clip: ["4", 1] },
    _meta: { title: "CLIP Text Encode (Prompt)" },
  },
  "7": {
    class_type: "CLIPTextEncode",
    inputs: { text: "blurry", clip: ["4", 1] },
    _meta: { title: "CLIP Text Encode (Prompt)" },
  },
  "5": {
    class_type: "EmptyLatentImage",
    inputs: { width: 512, height: 768, batch_size: 1 },
    _meta: { title: "Empty Latent Image" },
  },
  "3": {
    class_type: "KSampler",
    inputs: {
      seed: 156680208700286,
      steps: 20,
      cfg: 8,
      sampler_name: "euler",
      scheduler: "normal",
      denoise: 1,
      model: ["4", 0],
      positive: ["6", 0],
      negative: ["7", 0],
      latent_image: ["5", 0],
    },
    _meta: { title: "KSampler" },
  },
  "8": {
    class_type: "VAEDecode",
    inputs: { samples: ["3", 0], vae: ["4", 2] },
    _meta: { title: "VAE Decode" },
  },
  "9": {
    class_type: "SaveImage",
    inputs: { filename_prefix: "ComfyUI", images: ["8", 0] },
    _meta: { title: "Save Image" },
  },
};

interface Case {
  given: Record<string, unknown>;
  want: ApiPrompt | ((prompt: ApiPrompt) => void);
  options?: UiToApiOptions;
}

const cases: Record<string, Case> = {
  "default graph: widgets by catalog order, control_after_generate skipped, links by name": {
    given: workflow(defaultNodes(), defaultLinks),
    want: defaultPrompt,
  },
  "node titles become _meta.title": {
    given: workflow([node(4, "CheckpointLoaderSimple", { title: "Base model", wv: ["b.safetensors"] })], []),
    want: {
      "4": {
        class_type: "CheckpointLoaderSimple",
        inputs: { ckpt_name: "b.safetensors" },
        _meta: { title: "Base model" },
      },
    },
  },
  "widget converted to an input and linked: the link wins, later widgets keep their place": {
    given: workflow(
      [
        node(1, "EmptyLatentImage", { wv: [512, 512, 1], inputs: [["width", "INT", 1, "width"]] }),
        node(2, "LegacySampler", { wv: [7, "fixed", 0.25], outputs: [["LATENT", "LATENT"]] }),
      ],
      [[1, 2, 0, 1, 0, "INT"]],
    ),
    want: (p) => {
      expect(p["1"]?.inputs).toEqual({ width: ["2", 0], height: 512, batch_size: 1 });
      // "fixed" is both a control mode and a value of `mode`: the value count decides.
      expect(p["2"]?.inputs).toEqual({ seed: 7, mode: "fixed", strength: 0.25 });
    },
  },
  "legacy seed control value detected by values, forceInput values of old files dropped": {
    given: workflow([node(2, "LegacySampler", { wv: [7, "randomize", "other", "old caption", 0.25] })], []),
    want: (p) => expect(p["2"]?.inputs).toEqual({ seed: 7, mode: "other", strength: 0.25 }),
  },
  "upload button value skipped": {
    given: workflow(
      [
        node(1, "LoadImage", { wv: ["cat.png", "image"] }),
        node(2, "SaveImage", { wv: ["x"], inputs: [["images", "IMAGE", 1]] }),
      ],
      [[1, 1, 0, 2, 0, "IMAGE"]],
    ),
    want: (p) => expect(p["1"]?.inputs).toEqual({ image: "cat.png" }),
  },
  "missing trailing widget values take the catalog default": {
    given: workflow([node(2, "LegacySampler", { wv: [7, "other"] })], []),
    want: (p) => expect(p["2"]?.inputs).toEqual({ seed: 7, mode: "other", strength: 0.5 }),
  },
  "object-form widgets_values by name; extension widgets kept, preview objects dropped": {
    given: workflow(
      [
        node(1, "EmptyLatentImage", {
          wv: { height: 640, width: 320, crf: 19, videopreview: { hidden: false } },
        }),
      ],
      [],
    ),
    want: (p) => expect(p["1"]?.inputs).toEqual({ width: 320, height: 640, batch_size: 1, crf: 19 }),
  },
  "dynamic prompts: comments stripped, first option chosen by default": {
    given: workflow(
      [node(6, "CLIPTextEncode", { wv: ["a {red|blue} car // note\n/* x */on {a|{b|c}} road"] })],
      [],
    ),
    want: (p) => expect(p["6"]?.inputs["text"]).toBe("a red car \non a road"),
  },
  "dynamic prompts: choices follow the random function": {
    given: workflow([node(6, "CLIPTextEncode", { wv: ["{red|blue|green} \\{literal\\}"] })], []),
    options: { random: () => 0.99 },
    want: (p) => expect(p["6"]?.inputs["text"]).toBe("green {literal}"),
  },
  "array widget values are wrapped as __value__ (arrays are links in the API format)": {
    given: workflow([node(1, "ListNode", { wv: [["a", "b"]] })], []),
    want: (p) => expect(p["1"]?.inputs).toEqual({ values: { __value__: ["a", "b"] } }),
  },
  "FLOAT widgets with control_after_generate also carry the control value": {
    given: workflow([node(1, "FloatSeed", { wv: [0.25, "increment", 7] })], []),
    want: (p) => expect(p["1"]?.inputs).toEqual({ amount: 0.25, steps: 7 }),
  },
  "V3 dynamic combo: the chosen option's child widgets follow as dotted names": {
    given: workflow([node(1, "SaveAudio", { wv: ["mp3", "320k", "song"] })], []),
    want: (p) => expect(p["1"]?.inputs).toEqual({ format: "mp3", "format.quality": "320k", prefix: "song" }),
  },
  "Reroute chains are followed to the source": {
    given: workflow(
      [
        ckpt(),
        node(10, "Reroute", { inputs: [["", "*", 1]], outputs: [["", "VAE"]] }),
        node(11, "Reroute", { inputs: [["", "*", 2]], outputs: [["", "VAE"]] }),
        node(8, "VAEDecode", {
          inputs: [
            ["samples", "LATENT", null],
            ["vae", "VAE", 3],
          ],
        }),
      ],
      [
        [1, 4, 2, 10, 0, "*"],
        [2, 10, 0, 11, 0, "*"],
        [3, 11, 0, 8, 1, "VAE"],
      ],
    ),
    want: (p) => {
      expect(Object.keys(p).sort()).toEqual(["4", "8"]);
      expect(p["8"]?.inputs).toEqual({ vae: ["4", 2] });
    },
  },
  "PrimitiveNode: its value is inlined into the widget it feeds, the node is dropped": {
    given: workflow(
      [
        node(20, "PrimitiveNode", { wv: [1024, "fixed"], outputs: [["INT", "INT"]] }),
        node(5, "EmptyLatentImage", {
          wv: [512, 512, 1],
          inputs: [
            ["width", "INT", 1, "width"],
            ["height", "INT", 2, "height"],
          ],
        }),
      ],
      [
        [1, 20, 0, 5, 0, "INT"],
        [2, 20, 0, 5, 1, "INT"],
      ],
    ),
    want: {
      "5": {
        class_type: "EmptyLatentImage",
        inputs: { width: 1024, height: 1024, batch_size: 1 },
        _meta: { title: "Empty Latent Image" },
      },
    },
  },
  "muted nodes (mode 2) are dropped, with the links into other nodes": {
    given: workflow(
      [
        node(1, "LoadImage", { wv: ["cat.png", "image"], mode: 2 }),
        node(2, "ImageInvert", { inputs: [["image", "IMAGE", 1]] }),
      ],
      [[1, 1, 0, 2, 0, "IMAGE"]],
    ),
    want: { "2": { class_type: "ImageInvert", inputs: {}, _meta: { title: "Invert Image" } } },
  },
  "bypassed nodes (mode 4) pass their input of the same type through": {
    given: workflow(
      [
        node(1, "LoadImage", { wv: ["cat.png", "image"] }),
        node(2, "ImageInvert", { mode: 4, inputs: [["image", "IMAGE", 1]], outputs: [["IMAGE", "IMAGE"]] }),
        node(3, "ImageInvert", { mode: 4, inputs: [["image", "IMAGE", 2]], outputs: [["IMAGE", "IMAGE"]] }),
        node(4, "SaveImage", { wv: ["out"], inputs: [["images", "IMAGE", 3]] }),
      ],
      [
        [1, 1, 0, 2, 0, "IMAGE"],
        [2, 2, 0, 3, 0, "IMAGE"],
        [3, 3, 0, 4, 0, "IMAGE"],
      ],
    ),
    want: (p) => {
      expect(Object.keys(p).sort()).toEqual(["1", "4"]);
      expect(p["4"]?.inputs["images"]).toEqual(["1", 0]);
    },
  },
  "bypassed node with no input of the wanted type: the input is dropped": {
    given: workflow(
      [
        ckpt(),
        node(2, "VAEDecode", {
          mode: 4,
          inputs: [
            ["samples", "LATENT", null],
            ["vae", "VAE", 1],
          ],
          outputs: [["IMAGE", "IMAGE"]],
        }),
        node(3, "SaveImage", { wv: ["out"], inputs: [["images", "IMAGE", 2]] }),
      ],
      [
        [1, 4, 2, 2, 1, "VAE"],
        [2, 2, 0, 3, 0, "IMAGE"],
      ],
    ),
    want: (p) => expect(p["3"]?.inputs).toEqual({ filename_prefix: "out" }),
  },
  "Note and MarkdownNote are dropped": {
    given: workflow(
      [node(1, "Note", { wv: ["hello"] }), node(2, "MarkdownNote", { wv: ["# hi"] }), ckpt()],
      [],
    ),
    want: (p) => expect(Object.keys(p)).toEqual(["4"]),
  },
  "KJNodes SetNode/GetNode virtual wires resolve to the SetNode's source": {
    given: workflow(
      [
        ckpt(),
        node(30, "SetNode", { wv: ["vae"], inputs: [["VAE", "VAE", 1]], outputs: [["*", "*"]] }),
        node(31, "GetNode", { wv: ["vae"], outputs: [["VAE", "VAE"]] }),
        node(8, "VAEDecode", {
          inputs: [
            ["samples", "LATENT", null],
            ["vae", "VAE", 2],
          ],
        }),
      ],
      [
        [1, 4, 2, 30, 0, "VAE"],
        [2, 31, 0, 8, 1, "VAE"],
      ],
    ),
    want: (p) => expect(p["8"]?.inputs).toEqual({ vae: ["4", 2] }),
  },
  "subgraphs are flattened with outer:inner ids, inputs and outputs wired through": {
    given: workflow(
      [
        node(1, "LoadImage", { wv: ["cat.png", "image"] }),
        node(7, "sg-invert", { inputs: [["image", "IMAGE", 1]], outputs: [["IMAGE", "IMAGE"]] }),
        node(2, "SaveImage", { wv: ["out"], inputs: [["images", "IMAGE", 2]] }),
      ],
      [
        [1, 1, 0, 7, 0, "IMAGE"],
        [2, 7, 0, 2, 0, "IMAGE"],
      ],
      {
        definitions: {
          subgraphs: [
            subgraph("sg-invert", {
              inputs: [["image", "IMAGE"]],
              outputs: [["IMAGE", "IMAGE"]],
              nodes: [
                node(3, "ImageInvert", { inputs: [["image", "IMAGE", 10]] }),
                node(4, "ImageInvert", { inputs: [["image", "IMAGE", 11]] }),
              ],
              links: [
                [10, -10, 0, 3, 0, "IMAGE"],
                [11, 3, 0, 4, 0, "IMAGE"],
                [12, 4, 0, -20, 0, "IMAGE"],
              ],
            }),
          ],
        },
      },
    ),
    want: {
      "1": { class_type: "LoadImage", inputs: { image: "cat.png" }, _meta: { title: "Load Image" } },
      "7:3": { class_type: "ImageInvert", inputs: { image: ["1", 0] }, _meta: { title: "Invert Image" } },
      "7:4": { class_type: "ImageInvert", inputs: { image: ["7:3", 0] }, _meta: { title: "Invert Image" } },
      "2": {
        class_type: "SaveImage",
        inputs: { filename_prefix: "out", images: ["7:4", 0] },
        _meta: { title: "Save Image" },
      },
    },
  },
  "nested subgraphs get three-part ids; an unlinked subgraph input takes the promoted widget value": {
    given: workflow(
      [
        node(5, "outer", {
          wv: [640],
          properties: { proxyWidgets: [["-1", "width"]] },
          inputs: [["width", "INT", null, "width"]],
        }),
      ],
      [],
      {
        definitions: {
          subgraphs: [
            subgraph("outer", {
              inputs: [["width", "INT"]],
              outputs: [],
              nodes: [node(6, "inner", { inputs: [["w", "INT", 20]] })],
              links: [[20, -10, 0, 6, 0, "INT"]],
            }),
            subgraph("inner", {
              inputs: [["w", "INT"]],
              outputs: [],
              nodes: [
                node(9, "EmptyLatentImage", { wv: [512, 512, 1], inputs: [["width", "INT", 30, "width"]] }),
              ],
              links: [[30, -10, 0, 9, 0, "INT"]],
            }),
          ],
        },
      },
    ),
    want: {
      "5:6:9": {
        class_type: "EmptyLatentImage",
        inputs: { width: 640, height: 512, batch_size: 1 },
        _meta: { title: "Empty Latent Image" },
      },
    },
  },
  "muted and bypassed subgraph instances emit none of their nodes": {
    given: workflow([node(5, "sg", { mode: 2 }), node(6, "sg", { mode: 4 })], [], {
      definitions: { subgraphs: [subgraph("sg", { inputs: [], outputs: [], nodes: [ckpt()], links: [] })] },
    }),
    want: {},
  },
  "legacy group nodes expand to <instance>:<index> ids": {
    given: workflow(
      [
        node(1, "LoadImage", { wv: ["cat.png", "image"] }),
        node(2, "workflow>Invert twice", { inputs: [["image", "IMAGE", 1]], outputs: [["IMAGE", "IMAGE"]] }),
        node(3, "SaveImage", { wv: ["out"], inputs: [["images", "IMAGE", 2]] }),
      ],
      [
        [1, 1, 0, 2, 0, "IMAGE"],
        [2, 2, 0, 3, 0, "IMAGE"],
      ],
      {
        extra: {
          groupNodes: {
            "Invert twice": {
              nodes: [
                {
                  index: 0,
                  type: "ImageInvert",
                  inputs: [{ name: "image", type: "IMAGE", link: null }],
                  outputs: [{ name: "IMAGE", type: "IMAGE", links: [] }],
                },
                {
                  index: 1,
                  type: "ImageInvert",
                  inputs: [{ name: "image", type: "IMAGE", link: null }],
                  outputs: [{ name: "IMAGE", type: "IMAGE", links: [] }],
                },
              ],
              links: [[0, 0, 1, 0, 5, "IMAGE"]],
              external: [],
            },
          },
        },
      },
    ),
    want: (p) => {
      expect(p["2:0"]?.inputs).toEqual({ image: ["1", 0] });
      expect(p["2:1"]?.inputs).toEqual({ image: ["2:0", 0] });
      expect(p["3"]?.inputs["images"]).toEqual(["2:1", 0]);
    },
  },
  "legacy group nodes: instance widget values per inner node, outputs also used outside the group": {
    given: workflow(
      [
        node(2, "workflow>Load and invert", {
          wv: ["dog.png", "image"],
          outputs: [
            ["IMAGE", "IMAGE"],
            ["MASK", "MASK"],
            ["IMAGE", "IMAGE"],
          ],
        }),
        node(3, "SaveImage", { wv: ["inverted"], inputs: [["images", "IMAGE", 1]] }),
        node(4, "SaveImage", { wv: ["original"], inputs: [["images", "IMAGE", 2]] }),
      ],
      [
        [1, 2, 2, 3, 0, "IMAGE"],
        [2, 2, 0, 4, 0, "IMAGE"],
      ],
      {
        extra: {
          groupNodes: {
            "Load and invert": {
              nodes: [
                {
                  index: 0,
                  type: "LoadImage",
                  widgets_values: ["cat.png", "image"],
                  outputs: [
                    { name: "IMAGE", type: "IMAGE", links: [] },
                    { name: "MASK", type: "MASK", links: [] },
                  ],
                },
                {
                  index: 1,
                  type: "ImageInvert",
                  inputs: [{ name: "image", type: "IMAGE", link: null }],
                  outputs: [{ name: "IMAGE", type: "IMAGE", links: [] }],
                },
              ],
              links: [[0, 0, 1, 0, 1, "IMAGE"]],
              external: [[0, 0, "IMAGE"]],
            },
          },
        },
      },
    ),
    want: (p) => {
      expect(p["2:0"]?.inputs).toEqual({ image: "dog.png" });
      expect(p["2:1"]?.inputs).toEqual({ image: ["2:0", 0] });
      expect(p["3"]?.inputs["images"]).toEqual(["2:1", 0]);
      expect(p["4"]?.inputs["images"]).toEqual(["2:0", 0]);
    },
  },
  "unknown node types kept untyped with `unknownNodes: keep`": {
    given: workflow(
      [ckpt(), node(2, "FancyCustomNode", { title: "Fancy", wv: [1, "x"], inputs: [["model", "MODEL", 1]] })],
      [[1, 4, 0, 2, 0, "MODEL"]],
    ),
    options: { unknownNodes: "keep" },
    want: (p) =>
      expect(p["2"]).toEqual({
        class_type: "FancyCustomNode",
        inputs: { model: ["4", 0] },
        _meta: { title: "Fancy", widgets_values: [1, "x"] },
      }),
  },
};

describe("uiToApi", () => {
  for (const [name, { given, want, options }] of Object.entries(cases)) {
    it(name, () => {
      const prompt = uiToApi(JSON.stringify(given), miniCatalog, options);
      if (typeof want === "function") want(prompt);
      else expect(prompt).toEqual(want);
    });
  }

  it("seeds beyond 2^53 keep their exact digits", () => {
    const text = JSON.stringify(workflow(defaultNodes(), defaultLinks)).replace(
      "156680208700286",
      "18446744073709551615",
    );
    expect(uiToApi(text, miniCatalog)["3"]?.inputs["seed"]).toBe(18446744073709551615n);
  });

  it("a node type missing from the catalog is an error naming the node id and type", () => {
    const given = workflow([node(12, "FancyCustomNode", { wv: [1] })], []);
    expect(() => uiToApi(JSON.stringify(given), miniCatalog)).toThrow(UnknownNodeTypeError);
    expect(() => uiToApi(JSON.stringify(given), miniCatalog)).toThrow(/node 12 has type "FancyCustomNode"/);
  });

  it("reports an input naming a link the links table lacks, and leaves it unconnected", () => {
    const warnings: string[] = [];
    const given = workflow(
      [
        node(7, "ImageInvert", { inputs: [["image", "IMAGE", 42]] }),
        node(8, "LoadImage", { wv: ["cat.png"] }),
      ],
      [],
    );
    const prompt = uiToApi(JSON.stringify(given), miniCatalog, {
      onWarning: (w) => warnings.push(`${w.nodeId}: ${w.message}`),
    });
    expect(prompt["7"]?.inputs).toEqual({});
    expect(warnings).toEqual([
      '7: input "image" of ImageInvert names link 42, which the workflow\'s links lack (left unconnected)',
    ]);
  });

  it("reports a loop of reroutes instead of dropping the input silently", () => {
    const warnings: string[] = [];
    const given = workflow(
      [
        node(1, "Reroute", { inputs: [["", "*", 2]], outputs: [["", "*"]] }),
        node(2, "Reroute", { inputs: [["", "*", 1]], outputs: [["", "*"]] }),
        node(3, "ImageInvert", { inputs: [["image", "IMAGE", 3]] }),
      ],
      [
        [1, 1, 0, 2, 0, "*"],
        [2, 2, 0, 1, 0, "*"],
        [3, 1, 0, 3, 0, "IMAGE"],
      ],
    );
    const prompt = uiToApi(JSON.stringify(given), miniCatalog, {
      onWarning: (w) => warnings.push(`${w.nodeId}: ${w.message}`),
    });
    expect(prompt["3"]?.inputs).toEqual({});
    expect(warnings).toEqual([
      expect.stringMatching(/^[12]: link \d+ passes through more than 64 reroutes .*a loop/),
    ]);
  });

  it("reports widget values no input takes", () => {
    const warnings: string[] = [];
    uiToApi(
      JSON.stringify(workflow([node(5, "EmptyLatentImage", { wv: [512, 512, 1, "extra"] })], [])),
      miniCatalog,
      {
        onWarning: (w) => warnings.push(`${w.nodeId}: ${w.message}`),
      },
    );
    expect(warnings).toEqual([expect.stringMatching(/^5: 1 of 4 widget values of EmptyLatentImage/)]);
  });
});
