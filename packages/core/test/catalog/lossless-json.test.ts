import { describe, expect, test } from "vitest";
import {
  JsonCycleError,
  JsonNestingError,
  JsonSyntaxError,
  parseJsonLossless,
  stringifyJsonLossless,
} from "../../src/catalog/index.js";
import { ComfyError } from "../../src/errors.js";

const PARSE_CASES: [string, { given: string; want: unknown }][] = [
  ["u64 max", { given: '{"max": 18446744073709551615}', want: { max: 18446744073709551615n } }],
  ["2^64", { given: "[18446744073709551616]", want: [18446744073709551616n] }],
  ["negative beyond 2^53", { given: "[-9007199254740993]", want: [-9007199254740993n] }],
  ["safe 16-digit integer stays a number", { given: "[1234567890123456]", want: [1234567890123456] }],
  ["2^53 - 1 stays a number", { given: "[9007199254740991]", want: [9007199254740991] }],
  [
    "float with a long mantissa stays a number",
    { given: "[1.8446744073709552e+19]", want: [1.8446744073709552e19] },
  ],
  ["long fraction digits stay a number", { given: "[0.12345678901234567890]", want: [0.12345678901234568] }],
  [
    "long exponent form stays a number",
    { given: "[12345678901234567890e2]", want: [Number("12345678901234567890e2")] },
  ],
  [
    "digits inside strings are untouched",
    {
      given: '{"hash": "18446744073709551615", "n": 18446744073709551615}',
      want: { hash: "18446744073709551615", n: 18446744073709551615n },
    },
  ],
  [
    "escaped quotes before a big number",
    { given: '{"s": "a\\"b\\\\", "n": 99999999999999999}', want: { s: 'a"b\\', n: 99999999999999999n } },
  ],
  ["no big numbers: plain JSON.parse", { given: '{"a": [1, 2.5, "x"]}', want: { a: [1, 2.5, "x"] } }],
  [
    "digits in a string that look like a number token stay text",
    {
      given: '{"a": "[18446744073709551615]", "b": 18446744073709551615, "c": ", 99999999999999999 }"}',
      want: { a: "[18446744073709551615]", b: 18446744073709551615n, c: ", 99999999999999999 }" },
    },
  ],
  [
    "blanks around a big number",
    {
      given: "[\n\t 18446744073709551615 \r\n, -99999999999999999]",
      want: [18446744073709551615n, -99999999999999999n],
    },
  ],
  ["a big number alone", { given: "18446744073709551615", want: 18446744073709551615n }],
  [
    "big numbers deep in arrays and objects, and the values after the last one",
    {
      given: '[[1, {"a": [99999999999999999]}], {"b": -99999999999999999, "c": [2]}, "\\u0000bigint:x", 3]',
      want: [[1, { a: [99999999999999999n] }], { b: -99999999999999999n, c: [2] }, "\u0000bigint:x", 3],
    },
  ],
];

describe("parseJsonLossless", () => {
  test.each(PARSE_CASES)("%s", (_name, { given, want }) => {
    expect(parseJsonLossless(given)).toEqual(want);
  });

  test('a big number under the key "__proto__" is an own property, not the prototype', () => {
    const value = parseJsonLossless('{"__proto__": 18446744073709551615}') as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toBe(18446744073709551615n);
  });

  const BAD: [string, { given: string; line: number; column: number }][] = [
    ["truncated", { given: '{"client_id": "x", "prompt": {', line: 1, column: 31 }],
    ["second line", { given: '{\n  "a": tru\n}', line: 2, column: 11 }],
    [
      "with a big number before the fault",
      { given: '{"a": 18446744073709551615,\n "b": }', line: 2, column: 7 },
    ],
    ["empty", { given: "", line: 1, column: 1 }],
  ];
  test.each(BAD)("malformed: %s", (_name, { given, line, column }) => {
    try {
      parseJsonLossless(given);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      expect((e as JsonSyntaxError).position).toMatchObject({ line, column });
      expect((e as JsonSyntaxError).message).toContain(`line ${line}, column ${column}`);
    }
  });
});

describe("stringifyJsonLossless", () => {
  test("writes bigint digits exactly and round-trips", () => {
    const value = { seed: 18446744073709551615n, list: [1n, -99999999999999999999n], s: "\u0000bigint:0" };
    const text = stringifyJsonLossless(value);
    expect(text).toBe('{"seed":18446744073709551615,"list":[1,-99999999999999999999],"s":"\\u0000bigint:0"}');
    expect(parseJsonLossless(text)).toEqual({
      seed: 18446744073709551615n,
      list: [1, -99999999999999999999n],
      s: "\u0000bigint:0",
    });
  });

  test("indents like JSON.stringify", () => {
    expect(stringifyJsonLossless({ a: [1] }, 2)).toBe(JSON.stringify({ a: [1] }, null, 2));
  });
});

test("unsafe integer-valued doubles keep their type through a round trip", () => {
  const text = stringifyJsonLossless({ max: 1.8446744073709552e19 });
  expect(text).toBe('{"max":1.8446744073709552e+19}');
  expect(parseJsonLossless(text)).toEqual({ max: 1.8446744073709552e19 });
});

test("a byte order mark is skipped", () => {
  expect(parseJsonLossless('\uFEFF{"a": 18446744073709551615}')).toEqual({ a: 18446744073709551615n });
});

describe("deep nesting", () => {
  const deepText = (depth: number, leaf: string) => `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`;

  test("10,000 nested arrays and an integer beyond 2^53 elsewhere in the text read back exactly", () => {
    const text = `{"x": ${deepText(10_000, "1")}, "m": 18446744073709551615}`;
    const value = parseJsonLossless(text) as { x: unknown; m: unknown };
    expect(value.m).toBe(18446744073709551615n);
    let inner: unknown = value.x;
    for (let i = 0; i < 10_000; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe(1);
  });

  test("the big integer at the bottom of 10,000 levels is restored", () => {
    let inner: unknown = parseJsonLossless(deepText(10_000, "18446744073709551615"));
    for (let i = 0; i < 10_000; i++) inner = (inner as unknown[])[0];
    expect(inner).toBe(18446744073709551615n);
  });

  test.each([
    ["a stray brace", `${"[".repeat(100_000)}1,}`, 100_003],
    ["the end of the text", `${"[".repeat(100_000)}1`, 100_002],
    ["a bad key", `${'{"a":'.repeat(50_000)}{1:2}`, 250_002],
  ])(
    "malformed text nested 50,000+ levels deep says where (%s), without a stack overflow",
    (_name, text, column) => {
      try {
        parseJsonLossless(text);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(JsonSyntaxError);
        expect((e as JsonSyntaxError).position).toMatchObject({ line: 1, column });
      }
    },
  );

  test("a JsonSyntaxError is a ComfyError with a stable code", () => {
    expect(() => parseJsonLossless("{")).toThrow(expect.objectContaining({ code: "invalid_json" }));
    try {
      parseJsonLossless("{");
    } catch (e) {
      expect(e).toBeInstanceOf(ComfyError);
    }
  });

  test("a value nested deeper than JSON can be written: a typed error saying how deep and where", () => {
    let value: unknown = 18446744073709551615n;
    for (let i = 0; i < 10_000; i++) value = i === 9_000 ? { inner: value } : [value];
    const text = (() => {
      try {
        return stringifyJsonLossless({ x: value });
      } catch (e) {
        return e;
      }
    })();
    expect(text).toBeInstanceOf(JsonNestingError);
    expect(text).toMatchObject({ code: "json_too_deep", depth: 10_001 });
    expect((text as Error).message).toMatch(/nested 10001 levels deep \(at \$\.x\[0\]\[0\]/);
  });

  test("a value that contains itself throws JsonCycleError naming where the circle closes", () => {
    const prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }> = {
      "1": { class_type: "EmptyImage", inputs: {} },
    };
    prompt["1"]!.inputs["self"] = prompt;
    const error = (() => {
      try {
        return stringifyJsonLossless(prompt, 2);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(JsonCycleError);
    expect(error).toMatchObject({ code: "json_cycle", path: '$["1"].inputs.self' });
    expect((error as Error).message).toMatch(/\$\["1"\]\.inputs\.self refers back to \$/);
    // The same object twice, side by side, is no cycle.
    const shared = { a: 1 };
    expect(stringifyJsonLossless({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
  });

  test("999 levels with big integers are written and read back", () => {
    let value: unknown = 18446744073709551615n;
    for (let i = 0; i < 999; i++) value = [value];
    expect(parseJsonLossless(stringifyJsonLossless(value))).toEqual(value);
  });
});

describe("non-finite numbers", () => {
  test("are null by default, as JSON.stringify writes them", () => {
    expect(stringifyJsonLossless([Infinity, -Infinity, Number.NaN, 1])).toBe("[null,null,null,1]");
  });

  test('are Infinity, -Infinity and NaN with nonFinite: "python" (Python json.dumps), big integers kept', () => {
    expect(
      stringifyJsonLossless(
        { a: [Infinity, -Infinity, Number.NaN, 1.5], b: 18446744073709551615n },
        undefined,
        {
          nonFinite: "python",
        },
      ),
    ).toBe('{"a":[Infinity,-Infinity,NaN,1.5],"b":18446744073709551615}');
  });
});
