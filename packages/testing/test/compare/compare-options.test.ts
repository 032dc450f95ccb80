import { describe, expect, it } from "vitest";
import {
  allowedDiffPixels,
  DEFAULT_COMPARE_OPTIONS,
  GoldenOptionsError,
  resolveCompareOptions,
  validateCompareOptions,
} from "../../src/index.js";

describe("validateCompareOptions", () => {
  it.each([
    [{ threshold: 1.5 }, "threshold", "`threshold` option value must be a number between 0 and 1, got 1.5"],
    [{ threshold: -0.1 }, "threshold", "`threshold` option value must be a number between 0 and 1, got -0.1"],
    [{ threshold: "0.1" }, "threshold", '`threshold` option value must be a number, got "0.1"'],
    [
      { maxDiffPixelRatio: 2 },
      "maxDiffPixelRatio",
      "`maxDiffPixelRatio` option value must be a number between 0 and 1, got 2",
    ],
    [{ maxDiffPixels: -1 }, "maxDiffPixels", "`maxDiffPixels` option value must be an integer ≥ 0, got -1"],
    [{ maxDiffPixels: 1.5 }, "maxDiffPixels", "`maxDiffPixels` option value must be an integer ≥ 0, got 1.5"],
    [
      { maxDiffPixels: Number.NaN },
      "maxDiffPixels",
      "`maxDiffPixels` option value must be a number, got null",
    ],
    [{ includeAA: "yes" }, "includeAA", '`includeAA` option value must be a boolean, got "yes"'],
    [
      { treshold: 0.2 },
      "treshold",
      "unknown golden option `treshold` (known options: threshold, maxDiffPixels, maxDiffPixelRatio, includeAA)",
    ],
    [[1], "options", "golden options must be an object, got [1]"],
  ])("rejects %j", (input, option, message) => {
    let error: unknown;
    try {
      validateCompareOptions(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GoldenOptionsError);
    expect((error as GoldenOptionsError).code).toBe("ERR_GOLDEN_OPTIONS");
    expect((error as GoldenOptionsError).option).toBe(option);
    expect((error as Error).message).toBe(message);
  });

  it("accepts boundaries", () => {
    expect(() =>
      validateCompareOptions({ threshold: 0, maxDiffPixels: 0, maxDiffPixelRatio: 1, includeAA: false }),
    ).not.toThrow();
  });
});

describe("resolveCompareOptions", () => {
  it("layers defaults, project, then test; undefined does not override", () => {
    const resolved = resolveCompareOptions(
      { threshold: 0.2, maxDiffPixelRatio: 0.01 },
      { maxDiffPixels: 5, threshold: undefined },
    );
    expect(resolved).toEqual({ threshold: 0.2, maxDiffPixels: 5, maxDiffPixelRatio: 0.01, includeAA: true });
  });
  it("keeps the defaults with no layers, frozen", () => {
    expect(resolveCompareOptions()).toEqual(DEFAULT_COMPARE_OPTIONS);
    expect(Object.isFrozen(DEFAULT_COMPARE_OPTIONS)).toBe(true);
  });
});

describe("allowedDiffPixels", () => {
  const area = 100 * 100;
  it.each([
    [{}, 0],
    [{ maxDiffPixels: 50 }, 50],
    [{ maxDiffPixelRatio: 0.001 }, 10],
    [{ maxDiffPixels: 50, maxDiffPixelRatio: 0.001 }, 10],
    [{ maxDiffPixels: 5, maxDiffPixelRatio: 0.001 }, 5],
    [{ maxDiffPixelRatio: 0.00015 }, 1],
  ])("%j allows %d of 10,000 pixels", (options, allowed) => {
    expect(allowedDiffPixels(resolveCompareOptions(options), area)).toBe(allowed);
  });
});
