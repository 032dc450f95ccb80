import type { ComfyErrorInfo, PromptValidationResult } from "@comfy-ts/core";
import { describe, expectTypeOf, test } from "vitest";
import type { PromptRequestOutcome } from "../../src/index.js";

describe("prompt request types", () => {
  test("request outcomes narrow on status", () => {
    const outcome = {} as PromptRequestOutcome;
    if (outcome.status === 400) expectTypeOf(outcome.body.error).toEqualTypeOf<ComfyErrorInfo>();
    if (outcome.status === 500) expectTypeOf(outcome.text).toEqualTypeOf<string>();
    if (outcome.status === 200) expectTypeOf(outcome.result).toEqualTypeOf<PromptValidationResult>();
  });
});
