import { describe, expect, expectTypeOf, test } from "vitest";
import { type ComfyRunResult, comfyTest, type GoldenOptions, type OutputImage } from "../../src/index.js";

describe("toMatchGolden types", () => {
  test("is an async assertion on any value, with an optional name and options", () => {
    expectTypeOf(expect(new Uint8Array()).toMatchGolden()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(expect(new Uint8Array()).toMatchGolden("name")).toEqualTypeOf<Promise<void>>();
    expectTypeOf(expect(new Uint8Array()).toMatchGolden("name", { maxDiffPixels: 3 })).toEqualTypeOf<
      Promise<void>
    >();
    expectTypeOf(
      expect(new Uint8Array()).toMatchGolden({ threshold: 0.2, keyByEnvironment: true }),
    ).toEqualTypeOf<Promise<void>>();
  });

  test("rejects unknown options and wrongly typed ones", () => {
    // @ts-expect-error misspelled option
    expect(new Uint8Array()).toMatchGolden("n", { treshold: 0.1 });
    // @ts-expect-error maxDiffPixels is a number
    expect(new Uint8Array()).toMatchGolden("n", { maxDiffPixels: "3" });
    // @ts-expect-error the name is a string
    expect(new Uint8Array()).toMatchGolden(3);
    expectTypeOf<GoldenOptions["maxDiffPixelRatio"]>().toEqualTypeOf<number | undefined>();
  });
});

describe("comfy fixture types", () => {
  comfyTest("run resolves to a result whose images feed toMatchGolden", async ({ comfy }) => {
    expectTypeOf(comfy.run).returns.toEqualTypeOf<Promise<ComfyRunResult>>();
    const result = await comfy.run(
      { "1": { class_type: "EmptyImage", inputs: {} } },
      { seeds: 42n, forceExecution: "nonce" },
    );
    expectTypeOf(result.image("out")).toEqualTypeOf<OutputImage>();
    expectTypeOf(result.image("out").bytes).toEqualTypeOf<Uint8Array>();
    expectTypeOf(result.text()).toEqualTypeOf<string>();
    expectTypeOf(result.executedNodes).toEqualTypeOf<readonly string[]>();
    // @ts-expect-error seeds are integers (bigint or number), not strings
    await comfy.run({}, { seeds: "42" });
  });
});
