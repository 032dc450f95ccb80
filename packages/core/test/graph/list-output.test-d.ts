import type { Link, ListOutput, Output } from "@comfy-ts/core";
import { describe, expectTypeOf, test } from "vitest";

describe("ListOutput", () => {
  test("a list output connects wherever an output of its type does, and nowhere else", () => {
    expectTypeOf<ListOutput<"IMAGE">>().toExtend<Link<"IMAGE">>();
    expectTypeOf<ListOutput<"IMAGE">>().toExtend<Output>();
    expectTypeOf<ListOutput<"IMAGE">>().not.toExtend<Link<"MASK">>();
  });
});
