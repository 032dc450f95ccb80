import { describe, expect, it } from "vitest";
import { INTERNAL_ERROR_TYPE, reportedException } from "../../src/execution/execution-errors.js";
import { ImageDecodeError } from "../../src/image/errors.js";
import { NodeExecutionError, ShapeError } from "../../src/index.js";

describe("reportedException", () => {
  it.each([
    ["a NodeExecutionError", new NodeExecutionError("ValueError", "bad value"), "ValueError", "bad value"],
    [
      "an error naming its Python class",
      new ImageDecodeError("Truncated File Read", { pythonType: "OSError" }),
      "OSError",
      "Truncated File Read",
    ],
    [
      "a torch shape error",
      new ShapeError("Sizes of tensors must match"),
      "RuntimeError",
      "Sizes of tensors must match",
    ],
  ])("reports %s as its Python exception", (_name, error, exceptionType, message) => {
    expect(reportedException(error, "Node")).toEqual({ exceptionType, message });
  });

  it.each([
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'shape')")],
    ["a RangeError", new RangeError("Invalid array length")],
    ["a bare Error", new Error("cat of no tensors")],
    ["an error without a Python class", new ImageDecodeError("not a GIF file")],
    ["a thrown string", "boom"],
    ["a thrown object", { message: "Cannot read properties of null" }],
    ["undefined", undefined],
  ])("reports %s as an internal error without its text", (_name, error) => {
    const reported = reportedException(error, "ImageInvert");
    expect(reported.exceptionType).toBe(INTERNAL_ERROR_TYPE);
    expect(reported.message).toMatch(/^The implementation of ImageInvert failed with an internal error/);
    expect(reported.message).not.toMatch(/shape|Invalid array|tensors|GIF|boom|null/);
  });
});
