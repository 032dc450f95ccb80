import { describe, expect, test } from "vitest";
import { CatalogError, parseCatalog, parseCatalogText } from "../../src/catalog/index.js";

const GOOD = { input: { required: { image: ["IMAGE", {}] } }, output: ["IMAGE"], name: "Good" };

const BAD_NODES: [string, { given: unknown; want: { path: string; message: RegExp } }][] = [
  [
    "definition is not an object",
    { given: "oops", want: { path: "", message: /must be an object, got the string "oops"/ } },
  ],
  [
    "output is not a list",
    { given: { input: {}, output: { a: 1 } }, want: { path: "output", message: /expected array/ } },
  ],
  [
    "input section is a list",
    {
      given: { input: { required: [] }, output: [] },
      want: { path: "input.required", message: /expected record/ },
    },
  ],
  [
    "input spec is a number",
    {
      given: { input: { required: { seed: 5 } }, output: [] },
      want: { path: "input.required.seed", message: /input spec must be/ },
    },
  ],
  [
    "input type is an object",
    {
      given: { input: { optional: { x: [{}, {}] } }, output: [] },
      want: { path: "input.optional.x[0]", message: /input type must be a string/ },
    },
  ],
  [
    "combo value is null",
    {
      given: { input: { required: { c: [["a", null]] } }, output: [] },
      want: { path: "input.required.c[0][1]", message: /combo value must be/ },
    },
  ],
  [
    "autogrow template without inputs",
    {
      given: {
        input: { required: { g: ["COMFY_AUTOGROW_V3", { template: { names: ["a"] } }] } },
        output: [],
      },
      want: { path: "input.required.g[1].template.input", message: /expected object/ },
    },
  ],
  [
    "matchtype without template_id",
    {
      given: { input: { required: { m: ["COMFY_MATCHTYPE_V3", { template: {} }] } }, output: [] },
      want: { path: "input.required.m[1].template.template_id", message: /expected string/ },
    },
  ],
  [
    "description is a number",
    {
      given: { input: {}, output: [], description: 5 },
      want: { path: "description", message: /expected string/ },
    },
  ],
];

describe("a node that cannot be parsed is reported and skipped", () => {
  test.each(BAD_NODES)("%s", (_name, { given, want }) => {
    const catalog = parseCatalog({ Good: GOOD, Bad: given });
    expect([...catalog.nodes.keys()]).toEqual(["Good"]);
    expect(catalog.problems).toHaveLength(1);
    expect(catalog.problems[0]).toMatchObject({ classType: "Bad", path: want.path });
    expect(catalog.problems[0]?.message).toMatch(want.message);
  });
});

describe("an unusable catalog throws a CatalogError", () => {
  const CASES: [string, { given: unknown; code: string; message: RegExp }][] = [
    [
      "null",
      { given: null, code: "not_an_object", message: /must be a JSON object keyed by node class, got null/ },
    ],
    ["an array", { given: [GOOD], code: "not_an_object", message: /got a list of 1/ }],
    ["a string", { given: "KSampler", code: "not_an_object", message: /got the string "KSampler"/ }],
    ["an empty object", { given: {}, code: "no_nodes", message: /it has no node classes/ }],
    [
      "only bad nodes",
      {
        given: { A: 1, B: 2 },
        code: "no_nodes",
        message: /none of its 2 node classes could be read \(first problem: "A": node definition must be/,
      },
    ],
    [
      "valid JSON that is not a catalog says what was expected and where",
      {
        given: { nodes: [{ class_type: "KSampler" }], version: 2 },
        code: "no_nodes",
        message:
          /\(first problem: "nodes": node definition must be an object, got a list of 1\)\. Expected an object of node definitions keyed by class_type, as GET \/object_info returns/,
      },
    ],
  ];
  test.each(CASES)("%s", (_name, { given, code, message }) => {
    let caught: unknown;
    try {
      parseCatalog(given);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CatalogError);
    expect((caught as CatalogError).code).toBe(code);
    expect((caught as CatalogError).message).toMatch(message);
  });

  test("the problems found are attached to no_nodes", () => {
    try {
      parseCatalog({ A: 1 });
      expect.unreachable();
    } catch (e) {
      expect((e as CatalogError).problems).toEqual([
        { classType: "A", path: "", message: "node definition must be an object, got number 1" },
      ]);
    }
  });

  const catalogError = (text: string): CatalogError => {
    try {
      parseCatalogText(text);
    } catch (e) {
      if (e instanceof CatalogError) return e;
    }
    throw new Error("expected a CatalogError");
  };

  test.each([
    ["cut in an array", '{\n  "A": {"input": {}, "output": ["IMAGE", '],
    ["cut in a string", '{\n  "A": {"input": {}, "display_name": "Ima'],
    ["cut after a key, trailing newline", '{\n  "A": {"input":\n'],
  ])("a truncated /object_info (%s) says where and that the file looks truncated", (_name, text) => {
    const error = catalogError(text);
    expect(error.code).toBe("invalid_json");
    expect(error.message).toMatch(/line \d+, column \d+/);
    expect(error.message).toContain("the file looks truncated");
  });

  test.each([[""], ["  \n"]])("an empty /object_info text (%j) says it is empty", (text) => {
    const error = catalogError(text);
    expect(error.code).toBe("invalid_json");
    expect(error.message).toContain("The text is empty");
  });

  test("a syntax error in the middle is not called truncated", () => {
    const error = catalogError('{"A": {"input": {}, "output": [}, "B": {}}');
    expect(error.message).not.toContain("truncated");
  });

  test("malformed JSON text says line and column", () => {
    const text = '{\n  "A": {"input": {},\n  "output": [}\n}';
    try {
      parseCatalogText(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CatalogError);
      expect((e as CatalogError).code).toBe("invalid_json");
      expect((e as CatalogError).message).toMatch(/line 3, column 14/);
    }
  });
});
