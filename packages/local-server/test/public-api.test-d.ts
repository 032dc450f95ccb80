import { describe, expectTypeOf, it } from "vitest";
import {
  type LocalServer,
  type LocalServerOptions,
  type NodeContext,
  type NodeImpl,
  NodeRegistry,
  type PromptValidator,
  type ServerDirs,
  startLocalServer,
} from "../src/index.js";

describe("public API types", () => {
  it("startLocalServer takes optional options and resolves to a LocalServer", () => {
    expectTypeOf(startLocalServer).parameter(0).toEqualTypeOf<LocalServerOptions | undefined>();
    expectTypeOf(startLocalServer).returns.resolves.toEqualTypeOf<LocalServer>();
    expectTypeOf<LocalServer["url"]>().toEqualTypeOf<string>();
    expectTypeOf<LocalServer["port"]>().toEqualTypeOf<number>();
    expectTypeOf<LocalServer["dirs"]>().toEqualTypeOf<ServerDirs>();
    expectTypeOf<LocalServer["close"]>().returns.toEqualTypeOf<Promise<void>>();
  });

  it("rejects options of the wrong type", () => {
    // @ts-expect-error port is a number
    startLocalServer({ port: "8188" });
    // @ts-expect-error nodes are NodeImpl objects
    startLocalServer({ nodes: ["EmptyImage"] });
  });

  it("lets a node be written against the contract", () => {
    const node: NodeImpl = {
      classType: "Example",
      define: () => ({ input: { required: {} }, output: ["INT"] }),
      execute: (inputs, ctx) => {
        expectTypeOf(inputs).toEqualTypeOf<Record<string, unknown>>();
        expectTypeOf(ctx).toEqualTypeOf<NodeContext>();
        ctx.progress(1, 2, { format: "PNG", bytes: new Uint8Array() });
        return { outputs: [1], ui: { text: ["1"] } };
      },
    };
    expectTypeOf(new NodeRegistry([node]).has("Example")).toEqualTypeOf<boolean>();
    // @ts-expect-error a preview needs a known format
    const bad = (ctx: NodeContext) => ctx.progress(1, 2, { format: "GIF", bytes: new Uint8Array() });
    expectTypeOf(bad).toBeFunction();
  });

  it("takes where jobs run and a memory limit in bytes", () => {
    expectTypeOf<LocalServerOptions["execution"]>().toEqualTypeOf<"thread" | "in-process" | undefined>();
    expectTypeOf<LocalServerOptions["memoryLimit"]>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error execution is "thread" or "in-process"
    startLocalServer({ execution: "worker" });
    // @ts-expect-error the memory limit is a number of bytes
    startLocalServer({ memoryLimit: "8G" });
  });

  it("accepts a custom validator", () => {
    const validator: PromptValidator = () => ({
      ok: false,
      error: { type: "prompt_no_outputs", message: "Prompt has no outputs", details: "", extra_info: {} },
      nodeErrors: {},
    });
    expectTypeOf(validator).toMatchTypeOf<NonNullable<LocalServerOptions["validator"]>>();
  });
});
