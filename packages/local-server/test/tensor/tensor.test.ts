import { describe, expect, it } from "vitest";
import { ShapeError, tensor } from "../../src/index.js";

describe("tensor()", () => {
  it("makes zeros of the shape, or wraps data of the right length", () => {
    expect(tensor([2, 3]).data).toEqual(new Float32Array(6));
    expect(tensor([0, 4]).data.length).toBe(0);
    const data = Float32Array.from([1, 2]);
    expect(tensor([1, 2], data).data).toBe(data);
  });

  it.each([
    [[-1, 2], "has -1"],
    [[1.5], "has 1.5"],
    [[Number.NaN], "has NaN"],
    [[2, Number.POSITIVE_INFINITY], "has Infinity"],
  ])("rejects shape %j with a ShapeError", (shape, message) => {
    const attempt = () => tensor(shape);
    expect(attempt).toThrow(ShapeError);
    expect(attempt).toThrow(message);
  });

  it("rejects data of the wrong length with a ShapeError", () => {
    expect(() => tensor([2, 2], new Float32Array(3))).toThrow(
      new ShapeError("tensor data has 3 elements, shape [2, 2] needs 4"),
    );
  });
});
