import { describe, expectTypeOf, it } from "vitest";
import type { NodeCatalog } from "../../src/catalog/types.js";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import {
  apiToUi,
  readWorkflow,
  type UiWorkflow,
  type UiWorkflowDocument,
  uiToApi,
  type WorkflowError,
  type WorkflowErrorCode,
  type WorkflowInput,
} from "../../src/workflow/index.js";

declare const catalog: NodeCatalog;

describe("workflow API types", () => {
  it("readWorkflow gives a union narrowed by kind", async () => {
    const input = await readWorkflow("{}");
    expectTypeOf(input).toEqualTypeOf<WorkflowInput>();
    if (input.kind === "api") {
      expectTypeOf(input.prompt).toEqualTypeOf<ApiPrompt>();
      expectTypeOf(input.workflow).toEqualTypeOf<UiWorkflow | undefined>();
    } else {
      expectTypeOf(input.workflow).toEqualTypeOf<UiWorkflow>();
      // @ts-expect-error a UI input has no prompt
      input.prompt;
    }
  });

  it("converters take text, documents or parsed workflows and return plain JSON shapes", () => {
    expectTypeOf(uiToApi("{}", catalog)).toEqualTypeOf<ApiPrompt>();
    expectTypeOf(apiToUi({}, catalog)).toEqualTypeOf<UiWorkflowDocument>();
    // @ts-expect-error unknownNodes is "error" or "keep"
    uiToApi("{}", catalog, { unknownNodes: "drop" });
  });

  it("errors carry a stable code", () => {
    expectTypeOf<WorkflowError["code"]>().toEqualTypeOf<WorkflowErrorCode>();
  });
});
