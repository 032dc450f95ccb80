import { describe, expect, test } from "vitest";
import { assignIdentifiers, baseIdentifier, isIdentifier } from "../src/naming.js";

describe("baseIdentifier", () => {
  test.each([
    ["KSampler", "KSampler"],
    ["KSampler (Efficient)", "KSampler_Efficient"],
    ["ShowText|pysssss", "ShowText_pysssss"],
    ["Image Resize+", "Image_Resize_plus"],
    ["Images & Masks", "Images_and_Masks"],
    ["3DLoader", "_3DLoader"],
    ["delete", "delete_"],
    ["await", "await_"],
    ["undefined", "undefined_"],
    ["图像反转", "图像反转"],
    ["🔥", "node_1f525"],
    ["🔥 Fire", "Fire"],
    ["Load Image (as Mask) 🎭", "Load_Image_as_Mask"],
    ["a-b.c/d", "a_b_c_d"],
    ["$special", "$special"],
    ["__private", "__private"],
  ])("%s → %s", (name, want) => {
    expect(baseIdentifier(name)).toBe(want);
    expect(isIdentifier(baseIdentifier(name))).toBe(true);
  });
});

describe("assignIdentifiers", () => {
  test("exact identifiers keep their name; collisions get _2, _3 in code-unit order of the originals", () => {
    const ids = assignIdentifiers(
      ["Image Resize+", "Image_Resize_plus", "Image Resize +", "nodes"],
      ["nodes"],
    );
    expect(Object.fromEntries(ids)).toEqual({
      Image_Resize_plus: "Image_Resize_plus",
      "Image Resize +": "Image_Resize_plus_2",
      "Image Resize+": "Image_Resize_plus_3",
      nodes: "nodes_2",
    });
  });

  test("the result does not depend on the order of the input", () => {
    const names = ["A B", "A_B", "A-B", "A+B", "a b", "1x", "_1x"];
    const forward = assignIdentifiers(names);
    const backward = assignIdentifiers([...names].reverse());
    expect(Object.fromEntries(backward)).toEqual(Object.fromEntries(forward));
    expect(new Set(forward.values()).size).toBe(names.length);
  });
});
