import { describe, expect, test } from "vitest";
import { pyBool, pyEquals, pyFloat, pyFloatRepr, pyInt, pyRepr, pyStr } from "../src/python/values.js";
import { PythonException } from "../src/validation/index.js";

describe("repr and str like Python", () => {
  const CASES: [string, { given: unknown; asFloat?: boolean; repr: string; str: string }][] = [
    ["string", { given: "a'b", repr: `"a'b"`, str: "a'b" }],
    ["string with both quotes", { given: `a'b"c`, repr: `'a\\'b"c'`, str: `a'b"c` }],
    ["newline", { given: "a\nb", repr: "'a\\nb'", str: "a\nb" }],
    ["int", { given: 5, repr: "5", str: "5" }],
    ["float", { given: 0.5, repr: "0.5", str: "0.5" }],
    ["integral float", { given: 5, asFloat: true, repr: "5.0", str: "5.0" }],
    ["small float", { given: 1e-7, repr: "1e-07", str: "1e-07" }],
    ["large float", { given: -1.5e17, asFloat: true, repr: "-1.5e+17", str: "-1.5e+17" }],
    ["bigint", { given: 18446744073709551616n, repr: "18446744073709551616", str: "18446744073709551616" }],
    [
      "integral double beyond 2^53 (a float literal)",
      { given: 1.8446744073709552e19, repr: "1.8446744073709552e+19", str: "1.8446744073709552e+19" },
    ],
    ["bool", { given: false, repr: "False", str: "False" }],
    ["None", { given: null, repr: "None", str: "None" }],
    ["list", { given: ["a", 1, true], repr: "['a', 1, True]", str: "['a', 1, True]" }],
    ["dict", { given: { a: 1, b: [null] }, repr: "{'a': 1, 'b': [None]}", str: "{'a': 1, 'b': [None]}" }],
  ];
  test.each(CASES)("%s", (_name, { given, asFloat, repr, str }) => {
    expect(pyRepr(given, asFloat)).toBe(repr);
    expect(pyStr(given, asFloat)).toBe(str);
  });
  test("float repr", () => {
    expect([1e16, 1e-4, 123.456, -0].map(pyFloatRepr)).toEqual(["1e+16", "0.0001", "123.456", "-0.0"]);
  });
});

describe("int(), float(), bool() like Python", () => {
  const INT: [unknown, number | bigint | string][] = [
    ["7", 7],
    [" -7 ", -7],
    ["1_000", 1000],
    ["007", 7],
    [7.9, 7],
    [-7.9, -7],
    [true, 1],
    [1e20, 100000000000000000000n],
    ["12.5", "ValueError: invalid literal for int() with base 10: '12.5'"],
    ["1__0", "ValueError: invalid literal for int() with base 10: '1__0'"],
    [
      null,
      "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    ],
    [
      { a: 1 },
      "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'dict'",
    ],
  ];
  test.each(INT)("int(%s)", (given, want) => {
    if (typeof want === "string") {
      expect(() => pyInt(given)).toThrow(PythonException);
      try {
        pyInt(given);
      } catch (e) {
        expect(`${(e as PythonException).type}: ${(e as Error).message}`).toBe(want);
      }
    } else expect(pyInt(given)).toBe(want);
  });

  const FLOAT: [unknown, number | string][] = [
    ["0.5", 0.5],
    [" 1e3 ", 1000],
    [".5", 0.5],
    ["5.", 5],
    ["-inf", -Infinity],
    [true, 1],
    ["abc", "ValueError: could not convert string to float: 'abc'"],
    [{}, "TypeError: float() argument must be a string or a real number, not 'dict'"],
  ];
  test.each(FLOAT)("float(%j)", (given, want) => {
    if (typeof want === "string") {
      try {
        pyFloat(given);
        expect.unreachable();
      } catch (e) {
        expect(`${(e as PythonException).type}: ${(e as Error).message}`).toBe(want);
      }
    } else expect(pyFloat(given)).toBe(want);
  });

  test.each([
    ["false", true],
    ["", false],
    [0, false],
    [0.0, false],
    [2, true],
    [null, false],
    [{}, false],
    [{ a: 1 }, true],
  ] as [unknown, boolean][])("bool(%j) is %s", (given, want) => {
    expect(pyBool(given)).toBe(want);
  });

  test.each([
    [1, 1.0, true],
    [true, 1, true],
    [1n, 1, true],
    [18446744073709551615n, 2 ** 64, false],
    ["1", 1, false],
    [{ a: [1] }, { a: [true] }, true],
    [null, null, true],
  ] as [unknown, unknown, boolean][])("%s == %s is %s", (a, b, want) => {
    expect(pyEquals(a, b)).toBe(want);
  });
});
