import { describe, expect, it } from "vitest";
import { GoldenOptionsError, isCi, resolveUpdateMode, type UpdateMode } from "../../src/index.js";

describe("isCi", () => {
  it.each([
    [undefined, false],
    ["", false],
    ["0", false],
    ["false", false],
    ["FALSE", false],
    ["true", true],
    ["1", true],
    ["yes", true],
  ])("CI=%j → %s", (value, want) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(want);
  });
});

describe("resolveUpdateMode", () => {
  it.each<[string, string | undefined, string | undefined, boolean, UpdateMode]>([
    ["plain run", undefined, undefined, false, "none"],
    ["vitest -u", "all", undefined, false, "all"],
    ["vitest -u under CI", "all", undefined, true, "none"],
    ["override new", undefined, "new", false, "new"],
    ["override all under CI", undefined, "all", true, "none"],
    ["override none beats -u", "all", "none", false, "none"],
    ["empty override is no override", "all", "", false, "all"],
  ])("%s → %s", (_label, vitestUpdate, envOverride, ci, want) => {
    expect(resolveUpdateMode({ vitestUpdate, envOverride, ci })).toBe(want);
  });

  it("rejects an unknown COMFY_TS_UPDATE_GOLDENS, also under CI", () => {
    for (const ci of [false, true]) {
      expect(() => resolveUpdateMode({ vitestUpdate: undefined, envOverride: "yes", ci })).toThrow(
        GoldenOptionsError,
      );
    }
  });
});
