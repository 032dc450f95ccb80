import { describe, expect, test } from "vitest";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import { attachOrigins, type NodeOrigin } from "../../src/compile/prompt-origins.js";
import { ComfyError } from "../../src/errors.js";
import {
  formatIssue,
  issuesFromComfyBody,
  ValidationError,
  validatePrompt,
} from "../../src/validation/index.js";
import { CATALOG } from "./fixtures.js";

function withOrigins(prompt: ApiPrompt): ApiPrompt {
  const origins = new Map<string, NodeOrigin>(
    Object.entries(prompt).map(([id, node], i) => [
      id,
      {
        id,
        classType: node.class_type,
        title: undefined,
        location: { file: "src/pipeline.ts", line: 10 + i, column: 5 },
      },
    ]),
  );
  attachOrigins(prompt, origins);
  return prompt;
}

describe("issues point at node, input and the author's code", () => {
  test("a compiled prompt's problems name file:line", () => {
    const prompt = withOrigins({
      "1": { class_type: "Source", inputs: { width: 0 } },
      "2": {
        class_type: "Widgets",
        inputs: { steps: 0, seed: 1, cfg: 1, text: "", flag: true, sampler: "bogus" },
      },
      "8": { class_type: "LatentSink", inputs: { samples: ["2", 0] } },
      "9": { class_type: "Sink", inputs: { images: ["1", 1] } },
    });
    const result = validatePrompt(prompt, CATALOG);
    const error = ValidationError.fromResult(result);
    expect(error).toBeInstanceOf(ComfyError);
    expect(error.code).toBe("validation_failed");
    expect(error.message).toBe(
      [
        "Prompt failed validation (3 problems):",
        '  node 2 (Widgets) input "steps" at src/pipeline.ts:11:5: Value 0 smaller than min of 1',
        "  node 2 (Widgets) input \"sampler\" at src/pipeline.ts:11:5: value not in list: 'bogus' not in ['euler', 'heun', 1, 2.5]",
        '  node 9 (Sink) input "images" at src/pipeline.ts:13:5: a MASK output is linked to this IMAGE input (from node 1 output 1)',
      ].join("\n"),
    );
  });

  test("a link to a missing node names the node that holds it", () => {
    const prompt = withOrigins({
      "2": { class_type: "Switch", inputs: { on_true: ["99", 0], on_false: ["99", 0] } },
      "9": { class_type: "Sink", inputs: { images: ["2", 0] } },
    });
    const [issue] = validatePrompt(prompt, CATALOG).issues;
    expect(formatIssue(issue!)).toBe(
      'node 2 (Switch) input "on_true" at src/pipeline.ts:10:5: links to node "99", which is not in the prompt ' +
        "(ComfyUI: Exception when validating inner node: '99')",
    );
  });

  test("a link to a missing output index says how many outputs there are", () => {
    const result = validatePrompt(
      {
        "2": { class_type: "Switch", inputs: { on_true: ["1", 7], on_false: ["1", 0] } },
        "1": { class_type: "Source", inputs: { width: 1 } },
        "9": { class_type: "Sink", inputs: { images: ["2", 0] } },
      },
      CATALOG,
    );
    expect(result.issues.map(formatIssue)).toEqual([
      'node 2 (Switch) input "on_true": links to output 7 of node "1" (Source), which has 5 outputs (ComfyUI: Exception when validating inner node: tuple index out of range)',
    ]);
  });

  test("a cycle is explained even where ComfyUI 0.3.65 names no node", () => {
    const result = validatePrompt(
      {
        "1": { class_type: "Switch", inputs: { on_true: ["1", 0], on_false: ["1", 0] } },
        "9": { class_type: "Sink", inputs: { images: ["1", 0] } },
      },
      CATALOG,
    );
    expect(result.nodeErrors).toEqual({});
    expect(result.issues.map(formatIssue)).toEqual([
      "Prompt outputs failed validation",
      "node 1 (Switch): dependency cycle 1 (Switch) -> 1 (Switch); ComfyUI 0.3.65 rejects this without naming a node",
    ]);
  });

  test("top-level errors name the node from details", () => {
    const prompt = withOrigins({
      "5": { class_type: "Nope", inputs: {} },
      "9": { class_type: "Sink", inputs: {} },
    });
    expect(validatePrompt(prompt, CATALOG).issues.map(formatIssue)).toEqual([
      "node 5 (Nope) at src/pipeline.ts:10:5: Cannot execute because node Nope does not exist.",
    ]);
  });
});

describe("issuesFromComfyBody reads any server's answer", () => {
  const BODY = {
    error: {
      type: "prompt_outputs_failed_validation",
      message: "Prompt outputs failed validation",
      details: "",
      extra_info: {},
    },
    node_errors: {
      "3": {
        errors: [
          {
            type: "value_smaller_than_min",
            message: "Value 0 smaller than min of 1",
            details: "steps",
            extra_info: { input_name: "steps", input_config: ["INT", { min: 1 }], received_value: 0 },
          },
          {
            type: "custom_validation_failed",
            message: "Custom validation failed for node",
            details: "image - Invalid image file: x.png",
            extra_info: { input_name: "image" },
          },
        ],
        dependent_outputs: ["9"],
        class_type: "KSampler",
      },
    },
  };

  test("with origins from the prompt that was sent", () => {
    const prompt = withOrigins({ "3": { class_type: "KSampler", inputs: {} } });
    expect(ValidationError.fromComfyBody(BODY, { prompt }).message).toBe(
      [
        "Prompt failed validation (2 problems):",
        '  node 3 (KSampler) input "steps" at src/pipeline.ts:10:5: Value 0 smaller than min of 1',
        '  node 3 (KSampler) input "image" at src/pipeline.ts:10:5: Invalid image file: x.png',
      ].join("\n"),
    );
  });

  test("with explicit origins", () => {
    const origins = new Map([
      [
        "3",
        { id: "3", classType: "KSampler", title: undefined, location: { file: "a.ts", line: 1, column: 2 } },
      ],
    ]);
    expect(issuesFromComfyBody(BODY, { origins })[0]?.location).toEqual({ file: "a.ts", line: 1, column: 2 });
  });

  test.each([
    ["IMAGE", "an IMAGE output is linked to this LATENT input (from node 1 output 0)"],
    ["INT", "an INT output is linked to this LATENT input (from node 1 output 0)"],
    ["MASK", "a MASK output is linked to this LATENT input (from node 1 output 0)"],
  ])("a %s output linked to the wrong input reads with its article", (received, text) => {
    const body = {
      error: { type: "prompt_outputs_failed_validation", message: "", details: "", extra_info: {} },
      node_errors: {
        "3": {
          errors: [
            {
              type: "return_type_mismatch",
              message: "Return type mismatch between linked nodes",
              details: `samples, received_type(${received}) mismatch input_type(LATENT)`,
              extra_info: {
                input_name: "samples",
                input_config: ["LATENT"],
                received_type: received,
                linked_node: ["1", 0],
              },
            },
          ],
          dependent_outputs: ["9"],
          class_type: "VAEDecode",
        },
      },
    };
    expect(issuesFromComfyBody(body)[0]?.text).toBe(text);
  });

  test("the pre-2025 string form", () => {
    const issues = issuesFromComfyBody({ error: "no prompt", node_errors: [] });
    expect(issues.map(formatIssue)).toEqual(["no prompt"]);
  });

  test.each([
    [null, "Prompt failed validation"],
    [[], "Prompt failed validation"],
    ["500 Internal Server Error\n", "Prompt failed validation (1 problem):\n  500 Internal Server Error"],
  ])("a body that is not an answer object (%j) still gives a ValidationError", (body, message) => {
    const error = ValidationError.fromComfyBody(body);
    expect(error.message).toBe(message);
    expect(error.nodeErrors).toEqual({});
  });

  test("node_errors on a 200 answer", () => {
    expect(issuesFromComfyBody({ node_errors: BODY.node_errors }).map((i) => i.type)).toEqual([
      "value_smaller_than_min",
      "custom_validation_failed",
    ]);
  });
});

describe("assertValidPrompt", () => {
  test("throws with every problem, even when a server would queue the valid outputs", async () => {
    const { assertValidPrompt } = await import("../../src/validation/index.js");
    const prompt = {
      "1": { class_type: "Source", inputs: { width: 0 } },
      "8": { class_type: "Sink", inputs: { images: ["1", 0] } },
      "9": { class_type: "LatentSink", inputs: {} },
    } as ApiPrompt;
    expect(() => assertValidPrompt(prompt, CATALOG)).toThrow(
      /node 1 \(Source\) input "width": Value 0 smaller than min of 1/,
    );
    expect(
      assertValidPrompt(
        {
          "1": { class_type: "Source", inputs: { width: 3 } },
          "8": { class_type: "Sink", inputs: { images: ["1", 0] } },
        },
        CATALOG,
      ).valid,
    ).toBe(true);
  });
});
