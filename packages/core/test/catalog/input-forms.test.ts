import { describe, expect, test } from "vitest";
import { parseCatalog, parseCatalogText } from "../../src/catalog/index.js";

/** One node whose only required input is `x` with the given spec. */
function nodeWith(spec: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    input: { required: { x: spec } },
    input_order: { required: ["x"] },
    output: [],
    output_is_list: [],
    output_name: [],
    name: "N",
    display_name: "N",
    description: "",
    python_module: "nodes",
    category: "test",
    output_node: false,
    ...extra,
  };
}

function inputOf(spec: unknown) {
  const def = parseCatalog({ N: nodeWith(spec) }).nodes.get("N");
  expect(def).toBeDefined();
  return def!.inputs[0];
}

const INPUT_CASES: [string, { given: unknown; want: Record<string, unknown> }][] = [
  [
    "INT with bounds and control_after_generate",
    {
      given: ["INT", { default: 20, min: 1, max: 10000, step: 1, control_after_generate: true }],
      want: {
        kind: "int",
        rawType: "INT",
        default: 20,
        min: 1,
        max: 10000,
        step: 1,
        controlAfterGenerate: true,
      },
    },
  ],
  [
    "INT default given as an array",
    { given: ["INT", { default: [7], min: 0 }], want: { kind: "int", default: 7 } },
  ],
  [
    "INT without options",
    { given: ["INT"], want: { kind: "int", default: undefined, min: undefined, max: undefined } },
  ],
  [
    "INT max 2^64 rounded by JSON.parse is read as 2^64-1",
    { given: ["INT", { max: 2 ** 64 }], want: { max: 18446744073709551615n } },
  ],
  [
    "INT max written as a float by old servers",
    { given: ["INT", { max: 1.8446744073709552e19 }], want: { max: 18446744073709551615n } },
  ],
  [
    "FLOAT with round false",
    {
      given: ["FLOAT", { default: 1.0, min: 0.0, max: 1.0, step: 0.01, round: false }],
      want: { kind: "float", default: 1, min: 0, max: 1, step: 0.01, round: false },
    },
  ],
  [
    "FLOAT default given as an array",
    { given: ["FLOAT", { default: [1] }], want: { kind: "float", default: 1 } },
  ],
  [
    "STRING multiline with dynamicPrompts",
    {
      given: ["STRING", { multiline: true, dynamicPrompts: true, placeholder: "text" }],
      want: {
        kind: "string",
        multiline: true,
        dynamicPrompts: true,
        placeholder: "text",
        default: undefined,
      },
    },
  ],
  [
    "BOOLEAN with labels",
    {
      given: ["BOOLEAN", { default: true, label_on: "yes", label_off: "no" }],
      want: { kind: "boolean", default: true, labelOn: "yes", labelOff: "no" },
    },
  ],
  [
    "legacy list combo",
    {
      given: [["euler", "heun"], { default: "heun" }],
      want: {
        kind: "combo",
        rawType: "COMBO",
        values: ["euler", "heun"],
        default: "heun",
        upload: undefined,
      },
    },
  ],
  [
    "legacy list combo without options",
    { given: [["a", 1, 2.5]], want: { kind: "combo", values: ["a", 1, 2.5] } },
  ],
  [
    "COMBO with options (V3)",
    {
      given: ["COMBO", { multiselect: false, options: ["V0", "128k"], default: "V0" }],
      want: { kind: "combo", rawType: "COMBO", values: ["V0", "128k"], default: "V0", multiselect: false },
    },
  ],
  ["COMBO with null options", { given: ["COMBO", { options: null }], want: { kind: "combo", values: [] } }],
  [
    "upload combo with image_folder",
    {
      given: [["a.png"], { image_upload: true, image_folder: "output" }],
      want: { kind: "combo", upload: "image", imageFolder: "output" },
    },
  ],
  ["remote combo", { given: ["COMBO", { options: [], remote: { route: "/x" } }], want: { remote: true } }],
  [
    "pysssss object values become their content",
    { given: [[{ content: "a.safetensors", image: null }, "b"]], want: { values: ["a.safetensors", "b"] } },
  ],
  [
    "VHS list values become their name",
    {
      given: [[["video/h264", [["crf", "INT"]]], "image/gif"]],
      want: { values: ["video/h264", "image/gif"] },
    },
  ],
  ["boolean combo values are kept", { given: [[true, false]], want: { values: [true, false] } }],
  [
    "socket type",
    {
      given: ["IMAGE", { tooltip: "The image." }],
      want: { kind: "socket", types: ["IMAGE"], tooltip: "The image." },
    },
  ],
  ["any type", { given: ["*"], want: { kind: "socket", types: ["*"], rawType: "*" } }],
  [
    "comma-joined types",
    { given: ["STRING, INT"], want: { kind: "socket", types: ["STRING", "INT"], rawType: "STRING, INT" } },
  ],
  [
    "bare type string instead of a list",
    { given: "CONDITIONING", want: { kind: "socket", types: ["CONDITIONING"], spec: ["CONDITIONING"] } },
  ],
  ["non-object options are treated as none", { given: ["*", ""], want: { kind: "socket", options: {} } }],
  [
    "forceInput, defaultInput, lazy, rawLink, advanced, socketless",
    {
      given: [
        "INT",
        { forceInput: true, defaultInput: true, lazy: true, rawLink: true, advanced: true, socketless: true },
      ],
      want: {
        forceInput: true,
        defaultInput: true,
        lazy: true,
        rawLink: true,
        advanced: true,
        socketless: true,
      },
    },
  ],
  [
    "unknown and misspelled option keys are kept in options",
    {
      given: ["STRING", { toolip: "typo", "pysssss.autocomplete": true }],
      want: { tooltip: undefined, options: { toolip: "typo", "pysssss.autocomplete": true } },
    },
  ],
  [
    "V3 MatchType",
    {
      given: ["COMFY_MATCHTYPE_V3", { lazy: true, template: { template_id: "switch", allowed_types: "*" } }],
      want: { kind: "matchtype", templateId: "switch", allowedTypes: ["*"], lazy: true },
    },
  ],
  [
    "V3 MatchType with a type list",
    {
      given: ["COMFY_MATCHTYPE_V3", { template: { template_id: "t", allowed_types: "IMAGE,MASK" } }],
      want: { allowedTypes: ["IMAGE", "MASK"] },
    },
  ],
  [
    "V3 Autogrow with names",
    {
      given: [
        "COMFY_AUTOGROW_V3",
        {
          template: {
            input: { required: { image: ["IMAGE", {}] } },
            names: ["image_1", "image_2", "image_3"],
            min: 1,
          },
        },
      ],
      want: {
        kind: "autogrow",
        names: ["image_1", "image_2", "image_3"],
        prefix: undefined,
        min: 1,
        max: undefined,
      },
    },
  ],
  [
    "V3 Autogrow with a prefix",
    {
      given: [
        "COMFY_AUTOGROW_V3",
        { template: { input: { required: { image: ["IMAGE", {}] } }, prefix: "image", min: 1, max: 3 } },
      ],
      want: { kind: "autogrow", names: ["image0", "image1", "image2"], prefix: "image", min: 1, max: 3 },
    },
  ],
  [
    "V3 DynamicCombo",
    {
      given: [
        "COMFY_DYNAMICCOMBO_V3",
        {
          options: [
            { key: "flac", inputs: { required: {} } },
            {
              key: "mp3",
              inputs: { required: { quality: ["COMBO", { options: ["V0", "320k"], default: "V0" }] } },
            },
          ],
        },
      ],
      want: { kind: "dynamic_combo", default: "flac" },
    },
  ],
  [
    "explicit nulls in options",
    {
      given: ["INT", { default: null, min: null, tooltip: null }],
      want: { default: undefined, min: undefined, tooltip: undefined },
    },
  ],
];

describe("input forms", () => {
  test.each(INPUT_CASES)("%s", (_name, { given, want }) => {
    expect(inputOf(given)).toMatchObject(want);
  });

  test("autogrow template and dynamic combo children are normalized inputs", () => {
    const grow = inputOf([
      "COMFY_AUTOGROW_V3",
      { template: { input: { required: { image: ["IMAGE", {}] } }, names: ["a"] } },
    ]);
    expect(grow?.kind === "autogrow" && grow.template[0]).toMatchObject({
      name: "image",
      kind: "socket",
      types: ["IMAGE"],
      required: true,
    });
    const dyn = inputOf([
      "COMFY_DYNAMICCOMBO_V3",
      {
        options: [
          {
            key: "mp3",
            inputs: { required: { quality: ["COMBO", { options: ["V0"] }] }, optional: { x: ["INT", {}] } },
          },
        ],
      },
    ]);
    expect(dyn?.kind === "dynamic_combo" && dyn.choices).toMatchObject([
      {
        key: "mp3",
        inputs: [
          { name: "quality", kind: "combo", required: true },
          { name: "x", kind: "int", required: false },
        ],
      },
    ]);
  });
});

describe("node fields", () => {
  test("input_order decides order; missing input_order falls back to key order", () => {
    const spec = {
      input: { required: { b: ["INT"], a: ["INT"] }, optional: { d: ["IMAGE"], c: ["MASK"] } },
      output: [],
    };
    const withOrder = parseCatalog({
      N: { ...spec, input_order: { required: ["a", "b"], optional: ["c", "d"] } },
    });
    expect(withOrder.nodes.get("N")?.inputs.map((i) => `${i.name}:${i.required}`)).toEqual([
      "a:true",
      "b:true",
      "c:false",
      "d:false",
    ]);
    const old = parseCatalog({ N: spec });
    expect(old.nodes.get("N")?.inputs.map((i) => i.name)).toEqual(["b", "a", "d", "c"]);
  });

  test("hidden inputs in string and 1-element-array forms", () => {
    const def = parseCatalog({
      N: nodeWith(["INT"], {
        input: {
          required: {},
          hidden: { prompt: "PROMPT", extra_pnginfo: ["EXTRA_PNGINFO"], unique_id: "UNIQUE_ID" },
        },
      }),
    }).nodes.get("N");
    expect(def?.hidden).toEqual([
      { name: "prompt", kind: "PROMPT" },
      { name: "extra_pnginfo", kind: "EXTRA_PNGINFO" },
      { name: "unique_id", kind: "UNIQUE_ID" },
    ]);
    expect(def?.inputs).toEqual([]);
  });

  test("outputs: names, lists, tooltips, legacy combo outputs, matchtypes", () => {
    const def = parseCatalog({
      N: nodeWith(["INT"], {
        output: ["IMAGE", ["a", "b"], "COMFY_MATCHTYPE_V3"],
        output_is_list: [false, true, false],
        output_name: ["image", "choice", null],
        output_tooltips: ["The image.", null, null],
        output_matchtypes: [null, null, "switch"],
      }),
    }).nodes.get("N");
    expect(def?.outputs).toEqual([
      {
        index: 0,
        type: "IMAGE",
        name: "image",
        isList: false,
        tooltip: "The image.",
        comboOptions: undefined,
        matchType: undefined,
      },
      {
        index: 1,
        type: "COMBO",
        name: "choice",
        isList: true,
        tooltip: undefined,
        comboOptions: ["a", "b"],
        matchType: undefined,
      },
      {
        index: 2,
        type: "COMFY_MATCHTYPE_V3",
        name: "COMFY_MATCHTYPE_V3",
        isList: false,
        tooltip: undefined,
        comboOptions: undefined,
        matchType: "switch",
      },
    ]);
  });

  test("a single output sent as a bare string", () => {
    const def = parseCatalog({
      N: nodeWith(["INT"], { output: "BOOLEAN", output_name: "found", output_is_list: undefined }),
    }).nodes.get("N");
    expect(def?.outputs.map((o) => [o.type, o.name, o.isList])).toEqual([["BOOLEAN", "found", false]]);
  });

  test("V3 explicit nulls and flags", () => {
    const def = parseCatalog({
      N: nodeWith(["INT"], {
        display_name: null,
        python_module: null,
        deprecated: false,
        experimental: true,
        dev_only: null,
        api_node: true,
        price_badge: null,
        search_aliases: null,
        is_input_list: true,
        output_node: true,
      }),
    }).nodes.get("N");
    expect(def).toMatchObject({
      classType: "N",
      displayName: "N",
      pythonModule: undefined,
      deprecated: false,
      experimental: true,
      devOnly: false,
      apiNode: true,
      searchAliases: [],
      isInputList: true,
      outputNode: true,
    });
  });

  test("display name falls back to name, then to the class key", () => {
    const c = parseCatalog({ A: { input: {}, output: [], name: "Named" }, B: { input: {}, output: [] } });
    expect(c.nodes.get("A")?.displayName).toBe("Named");
    expect(c.nodes.get("B")?.displayName).toBe("B");
  });

  test("raw keeps the definition as sent, with exact big integers from text", () => {
    const c = parseCatalogText(
      '{"N": {"input": {"required": {"seed": ["INT", {"max": 18446744073709551615}]}}, "output": []}}',
    );
    const def = c.nodes.get("N");
    expect(def?.inputs[0]).toMatchObject({ kind: "int", max: 18446744073709551615n });
    expect(def?.raw).toEqual({
      input: { required: { seed: ["INT", { max: 18446744073709551615n }] } },
      output: [],
    });
  });
});
