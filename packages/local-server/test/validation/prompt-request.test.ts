import { describe, expect, test } from "vitest";
import {
  INTERNAL_SERVER_ERROR_TEXT,
  validatePromptRequest,
  validatePromptRequestText,
} from "../../src/validation/prompt-request.js";
import { CATALOG } from "./fixtures.js";

const GOOD = {
  "1": { class_type: "Source", inputs: { width: 8 } },
  "9": { class_type: "Sink", inputs: { images: ["1", 0] } },
};

describe("the POST /prompt body as ComfyUI 0.3.65 handles it", () => {
  const CASES: [string, { given: unknown; status: number; type?: string }][] = [
    ["a valid body", { given: { prompt: GOOD, client_id: "x" }, status: 200 }],
    ["no prompt key", { given: { client_id: "x" }, status: 400, type: "no_prompt" }],
    ["a list body", { given: [GOOD], status: 400, type: "no_prompt" }],
    ["an empty list prompt", { given: { prompt: [] }, status: 400, type: "prompt_no_outputs" }],
    ["an empty object prompt", { given: { prompt: {} }, status: 400, type: "prompt_no_outputs" }],
    ["a number body", { given: 5, status: 500 }],
    ["a null prompt", { given: { prompt: null }, status: 500 }],
    ["a non-empty list prompt", { given: { prompt: [1] }, status: 500 }],
    ["a node that is a number", { given: { prompt: { "1": 5 } }, status: 500 }],
    [
      "partial_execution_targets",
      { given: { prompt: GOOD, partial_execution_targets: ["1"] }, status: 400, type: "prompt_no_outputs" },
    ],
  ];
  test.each(CASES)("%s", (_name, { given, status, type }) => {
    const outcome = validatePromptRequest(given, CATALOG);
    expect(outcome.status).toBe(status);
    if (outcome.status === 400) expect(outcome.body.error.type).toBe(type);
    if (outcome.status === 500) expect(outcome.text).toBe(INTERNAL_SERVER_ERROR_TEXT);
  });

  test("malformed JSON and an empty body are 500", () => {
    expect(validatePromptRequestText('{"prompt": {', CATALOG).status).toBe(500);
    expect(validatePromptRequestText("", CATALOG).status).toBe(500);
  });

  test("big seeds in the text keep their digits", () => {
    const text =
      '{"prompt": {"1": {"class_type": "Widgets", "inputs": {"steps": 1, "seed": 18446744073709551615, "cfg": 1, "text": "", "flag": true, "sampler": "euler"}}, "9": {"class_type": "LatentSink", "inputs": {"samples": ["1", 0]}}}}';
    const outcome = validatePromptRequestText(text, CATALOG);
    expect(outcome.status).toBe(200);
    if (outcome.status === 200)
      expect(outcome.result.prompt["1"]?.inputs["seed"]).toBe(18446744073709551615n);
  });
});
