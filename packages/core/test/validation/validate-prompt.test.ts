import { describe, expect, test } from "vitest";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import {
  type ValidatePromptOptions,
  type ValidationFrames,
  validatePrompt,
} from "../../src/validation/index.js";
import { CATALOG } from "./fixtures.js";

const WIDGETS = { steps: 20, seed: 5, cfg: 7.5, text: "hi", flag: true, sampler: "euler" };

/** Source "1" → Widgets "2" (its own widgets) and Sink "9" on the image. */
function prompt(widgets: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): ApiPrompt {
  return {
    "1": { class_type: "Source", inputs: { width: 8 } },
    "2": { class_type: "Widgets", inputs: { ...WIDGETS, ...widgets } as never },
    "8": { class_type: "LatentSink", inputs: { samples: ["2", 0] } },
    "9": { class_type: "Sink", inputs: { images: ["1", 0] } },
    ...(extra as ApiPrompt),
  };
}

interface Want {
  status: 200 | 400;
  error?: string;
  /** node id → error types */
  nodes?: Record<string, string[]>;
  /** Exact error objects by node id and index. */
  exact?: Record<string, Record<string, unknown>>;
  outputs?: string[];
}

const CASES: [string, { given: ApiPrompt; options?: ValidatePromptOptions; want: Want }][] = [
  ["a valid prompt", { given: prompt(), want: { status: 200, nodes: {}, outputs: ["8", "9"] } }],
  [
    "INT below min",
    {
      given: prompt({ steps: 0 }),
      want: {
        status: 200,
        nodes: { "2": ["value_smaller_than_min"] },
        outputs: ["9"],
        exact: {
          "2": {
            type: "value_smaller_than_min",
            message: "Value 0 smaller than min of 1",
            details: "steps",
            extra_info: {
              input_name: "steps",
              input_config: ["INT", { default: 20, min: 1, max: 100 }],
              received_value: 0,
            },
          },
        },
      },
    },
  ],
  [
    "bigint seed above 2^64-1",
    {
      given: prompt({ seed: 18446744073709551616n }),
      want: {
        status: 200,
        nodes: { "2": ["value_bigger_than_max"] },
        exact: { "2": { message: "Value 18446744073709551616 bigger than max of 18446744073709551615" } },
      },
    },
  ],
  [
    "bigint seed 2^64-1 is fine",
    { given: prompt({ seed: 18446744073709551615n }), want: { status: 200, nodes: {} } },
  ],
  [
    "FLOAT above max is written as a Python float",
    {
      given: prompt({ cfg: 31 }),
      want: { status: 200, exact: { "2": { message: "Value 31.0 bigger than max of 30.0" } } },
    },
  ],
  [
    "INT given a string that is not a number",
    {
      given: prompt({ steps: "ten" }),
      want: {
        status: 200,
        exact: {
          "2": {
            type: "invalid_input_type",
            message: "Failed to convert an input value to a INT value",
            details: "steps, ten, invalid literal for int() with base 10: 'ten'",
          },
        },
      },
    },
  ],
  [
    "FLOAT given null",
    {
      given: prompt({ cfg: null }),
      want: {
        status: 200,
        exact: {
          "2": { details: "cfg, None, float() argument must be a string or a real number, not 'NoneType'" },
        },
      },
    },
  ],
  [
    "legacy combo value not in list (numbers compare like Python)",
    {
      given: prompt({ sampler: "Euler" }),
      want: {
        status: 200,
        exact: {
          "2": {
            type: "value_not_in_list",
            details: "sampler: 'Euler' not in ['euler', 'heun', 1, 2.5]",
            extra_info: {
              input_name: "sampler",
              input_config: [["euler", "heun", 1, 2.5], {}],
              received_value: "Euler",
            },
          },
        },
      },
    },
  ],
  [
    "combo: 1.0 equals 1 and true equals 1",
    { given: prompt({ sampler: true }), want: { status: 200, nodes: {} } },
  ],
  [
    "combo with more than 20 values: no list, no input_config",
    {
      given: prompt({ big: "nope" }),
      want: {
        status: 200,
        exact: {
          "2": {
            details: "big: 'nope' not in (list of length 25)",
            extra_info: { input_name: "big", input_config: null, received_value: "nope" },
          },
        },
      },
    },
  ],
  [
    "V3 COMBO options are not checked by 0.3.65",
    { given: prompt({ mode: "medium" }), want: { status: 200, nodes: {} } },
  ],
  [
    "V3 COMBO options are checked by latest",
    {
      given: prompt({ mode: "medium" }),
      options: { compat: "latest" },
      want: {
        status: 200,
        exact: { "2": { type: "value_not_in_list", details: "mode: 'medium' not in ['fast', 'slow']" } },
      },
    },
  ],
  [
    "multiselect checks each element (latest)",
    {
      given: prompt({ tags: { __value__: ["a", "z"] } }),
      options: { compat: "latest" },
      want: { status: 200, nodes: { "2": ["value_not_in_list"] } },
    },
  ],
  [
    "multiselect accepts known elements (latest)",
    {
      given: prompt({ tags: { __value__: ["a", "c"] } }),
      options: { compat: "latest" },
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "required input missing",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: {} } }),
      want: {
        status: 200,
        outputs: ["8"],
        exact: {
          "9": {
            type: "required_input_missing",
            message: "Required input is missing",
            details: "images",
            extra_info: { input_name: "images" },
          },
        },
      },
    },
  ],
  [
    "a link must have 2 elements",
    {
      given: prompt({ steps: [1, 2, 3] }),
      want: {
        status: 200,
        exact: {
          "2": { type: "bad_linked_input", details: "steps", extra_info: { received_value: [1, 2, 3] } },
        },
      },
    },
  ],
  [
    "return type mismatch",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 1] } } }),
      want: {
        status: 200,
        exact: {
          "9": {
            type: "return_type_mismatch",
            details: "images, received_type(MASK) mismatch input_type(IMAGE)",
            extra_info: {
              input_name: "images",
              input_config: ["IMAGE", {}],
              received_type: "MASK",
              linked_node: ["1", 1],
            },
          },
        },
      },
    },
  ],
  [
    "* accepts any type",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 0], any: ["1", 1] } } }),
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "a * output fits any input",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 4] } } }),
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "comma-joined types intersect",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 0], multi: ["1", 3] } } }),
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "comma-joined types that do not intersect",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 0], value: ["1", 1] } } }),
      want: {
        status: 200,
        exact: { "9": { details: "value, received_type(MASK) mismatch input_type(INT)" } },
      },
    },
  ],
  [
    "a legacy combo output into COMBO fails on 0.3.65",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 0], combo: ["1", 2] } } }),
      want: {
        status: 200,
        exact: {
          "9": {
            details: "combo, received_type(['a', 'b']) mismatch input_type(COMBO)",
            extra_info: { received_type: ["a", "b"] },
          },
        },
      },
    },
  ],
  [
    "a legacy combo output into COMBO passes on latest",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 0], combo: ["1", 2] } } }),
      options: { compat: "latest" },
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "negative output index counts from the end, like Python",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", -1] } } }),
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "a string output index raises a TypeError",
    {
      given: prompt(
        {},
        {
          "3": { class_type: "Switch", inputs: { on_true: ["1", "0"], on_false: ["1", 0] } },
          "9": { class_type: "Sink", inputs: { images: ["3", 0] } },
        },
      ),
      want: {
        status: 200,
        exact: {
          "3": {
            type: "exception_during_inner_validation",
            details: "tuple indices must be integers or slices, not str",
          },
        },
      },
    },
  ],
  [
    "a bad link on an output node itself is exception_during_validation",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["77", 0] } } }),
      want: {
        status: 200,
        exact: {
          "9": {
            type: "exception_during_validation",
            message: "Exception when validating node",
            details: "'77'",
            extra_info: { exception_type: "KeyError" },
          },
        },
      },
    },
  ],
  [
    "MatchType accepts anything",
    {
      given: prompt(
        {},
        {
          "3": { class_type: "Switch", inputs: { on_true: ["1", 1], on_false: ["2", 0] } },
          "9": { class_type: "Sink", inputs: { images: ["3", 0] } },
        },
      ),
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "all outputs failing is a 400 with the output's own errors in details",
    {
      given: { "9": { class_type: "Sink", inputs: {} }, "8": { class_type: "LatentSink", inputs: {} } },
      want: {
        status: 400,
        error: "prompt_outputs_failed_validation",
        nodes: { "8": ["required_input_missing"], "9": ["required_input_missing"] },
      },
    },
  ],
  [
    "unknown class (0.3.65)",
    {
      given: prompt({}, { "5": { class_type: "Nope", inputs: {} } }),
      want: { status: 400, error: "invalid_prompt", nodes: {} },
    },
  ],
  [
    "unknown class (latest)",
    {
      given: prompt({}, { "5": { class_type: "Nope", inputs: {} } }),
      options: { compat: "latest" },
      want: { status: 400, error: "missing_node_type" },
    },
  ],
  [
    "missing class_type",
    { given: { "5": { inputs: {} } } as never, want: { status: 400, error: "invalid_prompt" } },
  ],
  [
    "missing class_type in the newer style only",
    {
      given: { "5": { inputs: {} } } as never,
      options: { missingNodeErrors: "missing_node_type" },
      want: { status: 400, error: "missing_node_type" },
    },
  ],
  [
    "no output node",
    {
      given: { "1": { class_type: "Source", inputs: { width: 8 } } },
      want: { status: 400, error: "prompt_no_outputs" },
    },
  ],
  [
    "partial execution targets select outputs",
    {
      given: prompt({ steps: 0 }),
      options: { partialExecutionTargets: ["9"] },
      want: { status: 200, nodes: {}, outputs: ["9"] },
    },
  ],
  [
    "partial execution targets that are not outputs",
    {
      given: prompt(),
      options: { partialExecutionTargets: ["2"] },
      want: { status: 400, error: "prompt_no_outputs" },
    },
  ],
  [
    "a cycle on 0.3.65 fails without node errors",
    {
      given: {
        "1": { class_type: "Switch", inputs: { on_true: ["1", 0], on_false: ["1", 0] } },
        "9": { class_type: "Sink", inputs: { images: ["1", 0] } },
      },
      want: { status: 400, error: "prompt_outputs_failed_validation", nodes: {} },
    },
  ],
  [
    "a cycle on latest is a dependency_cycle error",
    {
      given: {
        "1": { class_type: "Switch", inputs: { on_true: ["2", 0], on_false: ["2", 0] } },
        "2": { class_type: "Switch", inputs: { on_true: ["1", 0], on_false: ["1", 0] } },
        "9": { class_type: "Sink", inputs: { images: ["2", 0] } },
      },
      options: { compat: "latest" },
      want: {
        status: 400,
        exact: {
          "2": {
            type: "dependency_cycle",
            details: "2 (Switch) -> 1 (Switch) -> 2 (Switch)",
            extra_info: { node_id: "2", cycle_nodes: ["2", "1", "2"] },
          },
        },
      },
    },
  ],
  [
    "undeclared inputs are ignored, links included",
    { given: prompt({ extra: ["2", 0], other: 5 }), want: { status: 200, nodes: {} } },
  ],
  [
    "V3 autogrow: the first min entries are required",
    {
      given: prompt(
        {},
        {
          "3": { class_type: "Batch", inputs: { "images.image_1": ["1", 0] } },
          "9": { class_type: "Sink", inputs: { images: ["3", 0] } },
        },
      ),
      want: { status: 200, exact: { "3": { type: "required_input_missing", details: "images.image_2" } } },
    },
  ],
  [
    "V3 autogrow entries are type-checked against the template",
    {
      given: prompt(
        {},
        {
          "3": {
            class_type: "Batch",
            inputs: { "images.image_1": ["1", 0], "images.image_2": ["1", 0], "images.image_3": ["1", 1] },
          },
          "9": { class_type: "Sink", inputs: { images: ["3", 0] } },
        },
      ),
      want: {
        status: 200,
        exact: { "3": { details: "images.image_3, received_type(MASK) mismatch input_type(IMAGE)" } },
      },
    },
  ],
  [
    "V3 dynamic combo children validate against their parent's option",
    {
      given: {
        "4": { class_type: "LoadAudio", inputs: { file: "a.wav" } },
        "9": {
          class_type: "SaveAudio",
          inputs: { audio: ["4", 0], format: "mp3", "format.quality": "999k" },
        },
      },
      options: { compat: "latest" },
      want: {
        status: 400,
        exact: {
          "9": { type: "value_not_in_list", details: "format.quality: '999k' not in ['V0', '128k', '320k']" },
        },
      },
    },
  ],
  [
    "V3 dynamic combo: a chosen option's required child is required",
    {
      given: {
        "4": { class_type: "LoadAudio", inputs: { file: "a.wav" } },
        "9": { class_type: "SaveAudio", inputs: { audio: ["4", 0], format: "mp3" } },
      },
      want: { status: 400, exact: { "9": { type: "required_input_missing", details: "format.quality" } } },
    },
  ],
  [
    "V3 dynamic combo: an option without children needs none",
    {
      given: {
        "4": { class_type: "LoadAudio", inputs: { file: "a.wav" } },
        "9": { class_type: "SaveAudio", inputs: { audio: ["4", 0], format: "flac" } },
      },
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "V3 dynamic combo: an unknown option (latest)",
    {
      given: {
        "4": { class_type: "LoadAudio", inputs: { file: "a.wav" } },
        "9": { class_type: "SaveAudio", inputs: { audio: ["4", 0], format: "ogg" } },
      },
      options: { compat: "latest" },
      want: { status: 400, exact: { "9": { details: "format: 'ogg' not in ['flac', 'mp3']" } } },
    },
  ],
  [
    "LoadImage's image is exempt from its combo list (it has its own validation)",
    {
      given: {
        "4": { class_type: "LoadImage", inputs: { image: "sub/x.png [output]" } },
        "9": { class_type: "Sink", inputs: { images: ["4", 0] } },
      },
      want: { status: 200, nodes: {} },
    },
  ],
  [
    "removing LoadImage's validator restores the combo check",
    {
      given: {
        "4": { class_type: "LoadImage", inputs: { image: "x.png" } },
        "9": { class_type: "Sink", inputs: { images: ["4", 0] } },
      },
      options: { customValidators: { LoadImage: null } },
      want: { status: 400, nodes: { "4": ["value_not_in_list"] } },
    },
  ],
  [
    "a custom validator's reason becomes custom_validation_failed",
    {
      given: {
        "4": { class_type: "LoadImage", inputs: { image: "x.png" } },
        "9": { class_type: "Sink", inputs: { images: ["4", 0] } },
      },
      options: {
        customValidators: {
          LoadImage: { inputs: ["image"], validate: ({ values }) => `no ${String(values["image"])}` },
        },
      },
      want: {
        status: 400,
        exact: {
          "4": {
            type: "custom_validation_failed",
            message: "Custom validation failed for node",
            details: "image - no x.png",
            extra_info: { input_name: "image" },
          },
        },
      },
    },
  ],
  [
    "a custom validator returning false",
    {
      given: {
        "4": { class_type: "LoadImage", inputs: { image: "x.png" } },
        "9": { class_type: "Sink", inputs: { images: ["4", 0] } },
      },
      options: { customValidators: { LoadImage: { inputs: ["image"], validate: () => false } } },
      want: { status: 400, exact: { "4": { details: "image" } } },
    },
  ],
  [
    "a validator taking input_types skips link type checks",
    {
      given: prompt({}, { "9": { class_type: "Sink", inputs: { images: ["1", 1] } } }),
      options: { customValidators: { Sink: { inputs: [], inputTypes: true } } },
      want: { status: 200, nodes: {} },
    },
  ],
];

describe("validatePrompt", () => {
  test.each(CASES)("%s", (_name, { given, options, want }) => {
    const result = validatePrompt(given, CATALOG, options);
    expect(result.status).toBe(want.status);
    if (want.error !== undefined) expect(result.error?.type).toBe(want.error);
    if (want.status === 200) expect(result.error).toBeUndefined();
    if (want.nodes) {
      const types = Object.fromEntries(
        Object.entries(result.nodeErrors).map(([id, e]) => [id, e.errors.map((x) => x.type)]),
      );
      expect(types).toEqual(want.nodes);
    }
    for (const [id, error] of Object.entries(want.exact ?? {}))
      expect(result.nodeErrors[id]?.errors[0]).toMatchObject(error);
    if (want.outputs) expect(result.outputs).toEqual(want.outputs);
    expect(result.valid).toBe(want.status === 200 && Object.keys(result.nodeErrors).length === 0);
    // Every node error becomes at least one readable issue.
    expect(result.issues.length).toBeGreaterThanOrEqual(Object.keys(result.nodeErrors).length);
  });
});

describe("coercion writes back like ComfyUI, on a copy", () => {
  const COERCE: [string, { given: unknown; input: string; want: unknown }][] = [
    ["INT from a numeric string", { given: "48", input: "steps", want: 48 }],
    ["INT truncates floats", { given: 40.9, input: "steps", want: 40 }],
    ["INT from a bool", { given: true, input: "steps", want: 1 }],
    [
      "INT keeps huge values exact",
      { given: "18446744073709551615", input: "seed", want: 18446744073709551615n },
    ],
    ["INT accepts underscores and spaces like Python", { given: " 1_0 ", input: "steps", want: 10 }],
    ["FLOAT from a string", { given: "0.5", input: "cfg", want: 0.5 }],
    ["STRING from a number", { given: 12, input: "text", want: "12" }],
    ["STRING from a bool", { given: false, input: "text", want: "False" }],
    ["BOOLEAN of the string false is true", { given: "false", input: "flag", want: true }],
    ["BOOLEAN of an empty string is false", { given: "", input: "flag", want: false }],
    ["BOOLEAN of 0 is false", { given: 0, input: "flag", want: false }],
    ["__value__ is unwrapped", { given: { __value__: 30 }, input: "steps", want: 30 }],
  ];
  test.each(COERCE)("%s", (_name, { given, input, want }) => {
    const original = prompt({ [input]: given });
    const before = structuredClone(original);
    const result = validatePrompt(original, CATALOG);
    expect(result.nodeErrors).toEqual({});
    expect(result.prompt["2"]?.inputs[input]).toEqual(want);
    expect(original).toEqual(before);
  });
});

test("dependent_outputs follow ComfyUI: nodes with errors so far get each failing output", () => {
  const result = validatePrompt(
    {
      "1": { class_type: "Source", inputs: { width: 0 } },
      "8": { class_type: "Sink", inputs: { images: ["1", 0] } },
      "9": { class_type: "Sink", inputs: { images: ["1", 0] } },
    },
    CATALOG,
  );
  expect(result.status).toBe(400);
  expect(result.nodeErrors["1"]?.dependent_outputs).toEqual(["8", "9"]);
  expect(result.error?.details).toBe("");
});

test("a 10,000-node chain validates without exhausting the call stack", () => {
  const prompt: ApiPrompt = { "0": { class_type: "Source", inputs: { width: 8 } } };
  for (let i = 1; i <= 10_000; i++)
    prompt[String(i)] = { class_type: "Switch", inputs: { on_true: [String(i - 1), 0], on_false: ["0", 0] } };
  prompt["end"] = { class_type: "Sink", inputs: { images: ["10000", 0] } };
  const result = validatePrompt(prompt, CATALOG);
  expect(result.valid).toBe(true);
  prompt["5000"] = { class_type: "Switch", inputs: { on_true: ["4999", 0] } };
  expect(validatePrompt(prompt, CATALOG).nodeErrors["5000"]?.errors.map((e) => e.details)).toEqual([
    "on_false",
  ]);
});

test("missing_node_type errors carry node id and title", () => {
  const result = validatePrompt(
    { "5": { class_type: "Nope", inputs: {}, _meta: { title: "My node" } } },
    CATALOG,
    { missingNodeErrors: "missing_node_type" },
  );
  expect(result.error).toEqual({
    type: "missing_node_type",
    message: "Node 'My node' not found. The custom node may not be installed.",
    details: "Node ID '#5'",
    extra_info: { node_id: "5", class_type: "Nope", node_title: "My node" },
  });
});

test("a node without inputs raises KeyError('inputs') inside validation, like ComfyUI", () => {
  const prompt: ApiPrompt = {
    "1": { class_type: "Source" } as never,
    "9": { class_type: "Sink", inputs: { images: ["1", 0] } },
  };
  const error = {
    type: "exception_during_inner_validation",
    details: "'inputs'",
    extra_info: { input_name: "images", exception_type: "KeyError", linked_node: ["1", 0] },
  };
  // Without `frames` the traceback has no frames of ComfyUI's own code.
  expect(validatePrompt(prompt, CATALOG).nodeErrors["1"]?.errors[0]).toMatchObject({
    ...error,
    extra_info: { ...error.extra_info, traceback: [] },
  });
  const frames: ValidationFrames = {
    outerCall: () => ["outer\n"],
    innerCall: () => ["inner\n"],
    missingInputs: () => ["missing inputs\n"],
    missingNode: () => ["missing node\n"],
    outputIndex: () => ["output index\n"],
    compare: (which) => [`compare ${which}\n`],
  };
  expect(validatePrompt(prompt, CATALOG, { frames }).nodeErrors["1"]?.errors[0]).toMatchObject({
    ...error,
    extra_info: { ...error.extra_info, traceback: ["inner\n", "missing inputs\n"] },
  });
});

test("bounds print as the server wrote them (1 or 1.0) when the catalog came from text", async () => {
  const { parseCatalogText, parseCatalog } = await import("../../src/catalog/index.js");
  const text = `{
    "Blend": {"input": {"required": {"factor": ["FLOAT", {"default": 0.5, "min": 0, "max": 1}],
                                     "sigma": ["FLOAT", {"min": 0.1, "max": 10.0}]}}, "output": [], "output_node": true}
  }`;
  const prompt: ApiPrompt = { "1": { class_type: "Blend", inputs: { factor: 2, sigma: 11 } } };
  const messages = (c: Parameters<typeof validatePrompt>[1]) =>
    validatePrompt(prompt, c).nodeErrors["1"]?.errors.map((e) => e.message);
  expect(messages(parseCatalogText(text))).toEqual([
    "Value 2.0 bigger than max of 1",
    "Value 11.0 bigger than max of 10.0",
  ]);
  // From an already-parsed object the literal is gone: FLOAT bounds print as floats.
  expect(messages(parseCatalog(JSON.parse(text)))).toEqual([
    "Value 2.0 bigger than max of 1.0",
    "Value 11.0 bigger than max of 10.0",
  ]);
});

test("a custom validator that throws is reported like a raising VALIDATE_INPUTS", () => {
  const result = validatePrompt(
    {
      "4": { class_type: "LoadImage", inputs: { image: "x.png" } },
      "9": { class_type: "Sink", inputs: { images: ["4", 0] } },
    },
    CATALOG,
    {
      customValidators: {
        LoadImage: {
          inputs: ["image"],
          validate: () => {
            throw new RangeError("disk on fire");
          },
        },
      },
    },
  );
  expect(result.nodeErrors["4"]?.errors[0]).toMatchObject({
    type: "exception_during_inner_validation",
    details: "disk on fire",
    extra_info: { exception_type: "RangeError", input_name: "images" },
  });
});

describe("validatePrompt's arguments", () => {
  test.each([
    ["null", null, "invalid_prompt", /cannot validate null: pass an API prompt/],
    ["undefined", undefined, "invalid_prompt", /cannot validate undefined/],
    ["a string", "x", "invalid_prompt", /cannot validate the string "x"/],
    ["a list of nodes", [{ class_type: "Sink", inputs: {} }], "invalid_prompt", /a list of 1/],
  ])("a prompt that is %s is a clear error", (_name, prompt, code, message) => {
    expect(() => validatePrompt(prompt as unknown as ApiPrompt, CATALOG)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  test("the raw /object_info object instead of a NodeCatalog is a clear error", () => {
    const raw = { Sink: { input: { required: {} }, output: [], output_node: true } };
    expect(() =>
      validatePrompt({ "1": { class_type: "Sink", inputs: {} } }, raw as unknown as typeof CATALOG),
    ).toThrow(
      expect.objectContaining({ code: "not_a_catalog", message: expect.stringMatching(/parseCatalog/) }),
    );
  });
});
