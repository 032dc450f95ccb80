import { describe, expectTypeOf, test } from "vitest";
import type { InputDef, InputKind, NodeCatalog } from "../../src/catalog/index.js";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import {
  type ComfyErrorInfo,
  type CustomValidator,
  type PromptValidationResult,
  type ValidationError,
  validatePrompt,
} from "../../src/validation/index.js";

declare const prompt: ApiPrompt;
declare const catalog: NodeCatalog;

describe("validation types", () => {
  test("the result carries ComfyUI's status and shapes", () => {
    const result = validatePrompt(prompt, catalog);
    expectTypeOf(result).toEqualTypeOf<PromptValidationResult>();
    expectTypeOf(result.status).toEqualTypeOf<200 | 400>();
    expectTypeOf(result.error).toEqualTypeOf<ComfyErrorInfo | undefined>();
    expectTypeOf(result.nodeErrors["3"]!.errors).toEqualTypeOf<ComfyErrorInfo[]>();
  });

  test("options are checked", () => {
    // @ts-expect-error compat is "0.3.65" or "latest"
    validatePrompt(prompt, catalog, { compat: "0.26" });
    const validator: CustomValidator = { inputs: ["image"], validate: () => "Invalid image file: x.png" };
    validatePrompt(prompt, catalog, { customValidators: { LoadImage: validator, LoadImageMask: null } });
  });

  test("ValidationError has the stable code", () => {
    expectTypeOf<ValidationError["code"]>().toEqualTypeOf<"validation_failed">();
  });

  test("input kinds can be dispatched exhaustively", () => {
    expectTypeOf<InputKind>().toEqualTypeOf<
      "int" | "float" | "string" | "boolean" | "combo" | "socket" | "matchtype" | "autogrow" | "dynamic_combo"
    >();
    const byKind: Record<InputKind, (i: InputDef) => string> = {
      int: () => "number | bigint",
      float: () => "number",
      string: () => "string",
      boolean: () => "boolean",
      combo: () => "string",
      socket: () => "link",
      matchtype: () => "link",
      autogrow: () => "links",
      dynamic_combo: () => "string",
    };
    expectTypeOf(byKind).toBeObject();
  });
});
