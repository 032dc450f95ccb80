import { describe, expectTypeOf, it } from "vitest";
import {
  BOOLEAN,
  COMBO,
  defineNode,
  FILES,
  FLOAT,
  INT,
  isListed,
  type Latent,
  type NodeInputs,
  out,
  STRING,
  T,
  type Tensor,
  U64_MAX,
  type Unlisted,
  V3COMBO,
} from "../../src/index.js";

const spec = {
  name: "Example",
  category: "tests",
  module: "tests",
  required: {
    image: T("IMAGE"),
    width: INT({ default: 512, min: 1, max: 16384 }),
    seed: INT({ default: 0, min: 0, max: U64_MAX }),
    unbounded: INT({ default: 0 }),
    strength: FLOAT({ default: 1, min: 0, max: 1 }),
    text: STRING({ multiline: true }),
    flag: BOOLEAN({ default: false }),
    method: COMBO(["nearest", "bilinear"]),
    mode: V3COMBO(["a", "b"]),
    file: FILES((env) => env.inputFiles()),
    custom: T("MY_CUSTOM_TYPE"),
    anything: T("*"),
  },
  optional: { mask: T("MASK"), samples: T("LATENT") },
  outputs: [["IMAGE"]],
} as const;

describe("defineNode input types", () => {
  it("infers each input's type from its spec", () => {
    type Inputs = NodeInputs<typeof spec>;
    expectTypeOf<Inputs["image"]>().toEqualTypeOf<Tensor>();
    expectTypeOf<Inputs["width"]>().toEqualTypeOf<number>();
    // A bigint bound (or none) lets values beyond 2^53 through with their exact digits.
    expectTypeOf<Inputs["seed"]>().toEqualTypeOf<number | bigint>();
    expectTypeOf<Inputs["unbounded"]>().toEqualTypeOf<number | bigint>();
    expectTypeOf<Inputs["strength"]>().toEqualTypeOf<number>();
    expectTypeOf<Inputs["text"]>().toEqualTypeOf<string>();
    expectTypeOf<Inputs["flag"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Inputs["method"]>().toEqualTypeOf<"nearest" | "bilinear">();
    expectTypeOf<Inputs["mode"]>().toEqualTypeOf<"a" | "b" | Unlisted>();
    expectTypeOf<Inputs["file"]>().toEqualTypeOf<string>();
    expectTypeOf<Inputs["custom"]>().toEqualTypeOf<unknown>();
    expectTypeOf<Inputs["anything"]>().toEqualTypeOf<unknown>();
    expectTypeOf<Inputs["mask"]>().toEqualTypeOf<Tensor | undefined>();
    expectTypeOf<Inputs["samples"]>().toEqualTypeOf<Latent | undefined>();
  });

  it("gives execute those types without casts", () => {
    defineNode(spec, (inputs, ctx) => {
      expectTypeOf(inputs.width).toEqualTypeOf<number>();
      expectTypeOf(ctx.nodeId).toEqualTypeOf<string>();
      // @ts-expect-error no input of that name
      void inputs.heigth;
      // @ts-expect-error a number is not a string
      inputs.width.toUpperCase();
      // @ts-expect-error optional inputs may be absent
      void inputs.mask.shape;
      // @ts-expect-error an unchecked V3 combo value must be narrowed before use as its options
      const narrow: "a" | "b" = inputs.mode;
      void narrow;
      if (isListed(["a", "b"] as const, inputs.mode)) expectTypeOf(inputs.mode).toEqualTypeOf<"a" | "b">();
      return out(inputs.image);
    });
  });

  it("passes whole lists to inputIsList nodes", () => {
    defineNode(
      {
        name: "Lists",
        category: "tests",
        module: "tests",
        inputIsList: true,
        required: { images: T("IMAGE"), size: INT({ min: 1, max: 8 }) },
        optional: { mask: T("MASK") },
      },
      (inputs) => {
        expectTypeOf(inputs.images).toEqualTypeOf<readonly Tensor[]>();
        expectTypeOf(inputs.size).toEqualTypeOf<readonly number[]>();
        expectTypeOf(inputs.mask).toEqualTypeOf<readonly Tensor[] | undefined>();
        return {};
      },
    );
  });

  it("types a spec built at run time as a record of unknown values", () => {
    const required: Record<string, ReturnType<typeof T>> = { a: T("IMAGE") };
    defineNode({ name: "Dynamic", category: "tests", module: "tests", required }, (inputs) => {
      expectTypeOf(inputs).toEqualTypeOf<{ readonly [x: string]: unknown }>();
      return {};
    });
  });

  it("rejects spec mistakes", () => {
    // @ts-expect-error INT options need numbers
    INT({ min: "0" });
    // @ts-expect-error a combo lists strings
    COMBO([1, 2]);
  });
});
