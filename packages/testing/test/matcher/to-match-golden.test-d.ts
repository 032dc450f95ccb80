import { describe, expect, expectTypeOf, test } from "vitest";
import {
  type ComfyRunResult,
  comfyTest,
  defineComparator,
  type GoldenOptions,
  type OutputImage,
} from "../../src/index.js";

describe("toMatchGolden types", () => {
  test("is an async assertion on any value, with an optional name and options", () => {
    expectTypeOf(expect(new Uint8Array()).toMatchGolden()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(expect(new Uint8Array()).toMatchGolden("name")).toEqualTypeOf<Promise<void>>();
    expectTypeOf(
      expect(new Uint8Array()).toMatchGolden("name", { comparator: "pixelmatch", maxDiffPixels: 3 }),
    ).toEqualTypeOf<Promise<void>>();
    expectTypeOf(
      expect(new Uint8Array()).toMatchGolden({
        comparator: "channel-delta",
        maxDelta: 2,
        keyByEnvironment: true,
      }),
    ).toEqualTypeOf<Promise<void>>();
    // Options alone refine the comparator the project chose for this kind.
    expectTypeOf(expect("text").toMatchGolden({ minDb: 45 })).toEqualTypeOf<Promise<void>>();
  });

  test("rejects unknown options and wrongly typed ones", () => {
    // @ts-expect-error misspelled option
    expect(new Uint8Array()).toMatchGolden("n", { comparator: "pixelmatch", treshold: 0.1 });
    // @ts-expect-error maxDiffPixels is a number
    expect(new Uint8Array()).toMatchGolden("n", { comparator: "pixelmatch", maxDiffPixels: "3" });
    // @ts-expect-error an unknown comparator
    expect(new Uint8Array()).toMatchGolden("n", { comparator: "fuzzy" });
    // @ts-expect-error the name is a string
    expect(new Uint8Array()).toMatchGolden(3);
    expectTypeOf<Extract<GoldenOptions, { comparator?: "pixelmatch" }>["maxDiffPixelRatio"]>().toEqualTypeOf<
      number | undefined
    >();
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
    expectTypeOf(result.output("clip").bytes).toEqualTypeOf<Uint8Array>();
    expectTypeOf(result.textOutput("caption").text).toEqualTypeOf<string>();
    expectTypeOf(result.text()).toEqualTypeOf<string>();
    expectTypeOf(result.executedNodes).toEqualTypeOf<readonly string[]>();
    // @ts-expect-error seeds are integers (bigint or number), not strings
    await comfy.run({}, { seeds: "42" });
  });
});

// A project's own comparator, typed by declaration merging (the one place besides its definition).
const meanDelta = defineComparator({
  name: "mean-delta",
  description: "mean |Δ| of all samples",
  accepts: ["raster"],
  options: { maxMean: { type: "number", min: 0, max: 255, default: 0.5, doc: "largest mean |Δ|" } },
  compare: (e, a, o) => ({
    pass: e.data.length === a.data.length && o.maxMean >= 0,
    metrics: {},
    summary: "",
  }),
});
declare module "../../src/index.js" {
  interface GoldenComparators {
    "mean-delta": typeof meanDelta;
  }
}

describe("registered comparators", () => {
  test("are chosen by name with their own options, typed", () => {
    expectTypeOf(
      expect(new Uint8Array()).toMatchGolden({ comparator: "mean-delta", maxMean: 1 }),
    ).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error maxMean is a number
    expect(new Uint8Array()).toMatchGolden({ comparator: "mean-delta", maxMean: "1" });
  });
});
