// Every error class the public entry points export is a ComfyError with a stable code.
import { ComfyError } from "@comfy-ts/core";
import { expect, it } from "vitest";
import * as harness from "../src/harness.js";
import * as node from "../src/node.js";

it("every exported error class extends ComfyError and has a code", () => {
  const classes = Object.entries({ ...node, ...harness }).filter(
    ([, value]) => typeof value === "function" && value.prototype instanceof Error,
  );
  expect(classes.map(([name]) => name).sort()).toEqual([
    "CachedResultError",
    "ComfyTestingError",
    "GoldenNameError",
    "GoldenOptionsError",
    "GoldenUsageError",
    "MissingComboValueError",
    "MissingNodeClassError",
    "NoServerError",
    "PngDecodeError",
    "ReproducibilityError",
    "RunTimeoutError",
    "ServerUnreachableError",
    "UnrecognizedOutputError",
  ]);
  const extendsComfyError = (cls: { prototype: object }) => {
    for (let p: object | null = cls.prototype; p; p = Object.getPrototypeOf(p))
      if (p === ComfyError.prototype) return true;
    return false;
  };
  for (const [name, value] of classes)
    expect(extendsComfyError(value as { prototype: object }), name).toBe(true);
  const sample = new node.GoldenOptionsError("x", "message");
  expect(sample.code).toBe("ERR_GOLDEN_OPTIONS");
});
