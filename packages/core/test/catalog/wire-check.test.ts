import { readFileSync } from "node:fs";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";
import { parseCatalog, parseJsonLossless } from "../../src/catalog/index.js";
import {
  isAutogrowTemplateWire,
  isDynamicComboOptionsWire,
  isMatchTypeTemplateWire,
  isNodeDefWire,
} from "../../src/catalog/wire-check.js";
import { type WireSchemas, wireSchemas } from "../../src/catalog/wire-schema.js";

// The structural checks stand in for zod when they pass, so they must never pass a value zod would
// reject or change. (When they fail, zod decides, so being stricter than zod only costs time.)
type Checked = readonly [name: keyof WireSchemas, check: (v: unknown) => boolean];
const CHECKS: readonly Checked[] = [
  ["nodeDef", isNodeDefWire],
  ["autogrowTemplate", isAutogrowTemplateWire],
  ["matchTypeTemplate", isMatchTypeTemplateWire],
  ["dynamicComboOptions", isDynamicComboOptionsWire],
];

/** Whether the check agrees with zod on `value`; the reason when it does not. */
function disagreement(
  name: keyof WireSchemas,
  check: (v: unknown) => boolean,
  value: unknown,
): string | undefined {
  if (!check(value)) return undefined;
  const parsed = wireSchemas()[name].safeParse(value);
  if (!parsed.success) return `check passed, zod failed: ${parsed.error.issues[0]?.message}`;
  try {
    expect(parsed.data).toEqual(value);
  } catch {
    return "check passed, zod changed the value";
  }
  return undefined;
}

const ODD_VALUES: readonly unknown[] = [
  undefined,
  null,
  0,
  1.5,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  12n,
  "",
  "IMAGE",
  true,
  [],
  [null],
  [1],
  ["a", null],
  [true, false],
  [["a", "b"]],
  [{}],
  [{ key: "a" }],
  [{ key: 1, inputs: { required: { x: ["INT"] } } }],
  [{ key: true }],
  {},
  { a: 1 },
  { required: { a: ["INT"] } },
  { required: [] },
  { required: "x" },
];

const BASES: Record<keyof WireSchemas, Record<string, unknown>> = {
  nodeDef: {
    input: {
      required: { image: ["IMAGE"] },
      optional: { n: ["INT", { default: 1 }] },
      hidden: { p: "PROMPT" },
    },
    input_order: { required: ["image"], optional: ["n"] },
    output: ["IMAGE", ["a", "b"]],
    output_is_list: [false, null],
    output_name: ["IMAGE", null],
    name: "Node",
    display_name: "Node",
    category: "image",
    output_node: false,
    search_aliases: ["n"],
  },
  autogrowTemplate: {
    input: { required: { image: ["IMAGE"] } },
    names: ["a"],
    prefix: "image",
    min: 1,
    max: 4,
  },
  matchTypeTemplate: { template_id: "T", allowed_types: ["IMAGE", "MASK"] },
  dynamicComboOptions: { key: "a", inputs: { required: { x: ["INT"] } } },
};

/** Every top-level and second-level field of a base, replaced by each odd value. */
function mutations(base: Record<string, unknown>): unknown[] {
  const out: unknown[] = [base];
  const keys = [...Object.keys(base), "input", "output", "min"];
  for (const key of keys) {
    for (const odd of ODD_VALUES) {
      out.push({ ...base, [key]: odd });
      const inner = base[key];
      if (inner && typeof inner === "object" && !Array.isArray(inner)) {
        for (const innerKey of [...Object.keys(inner), "required", "optional", "hidden"]) {
          out.push({ ...base, [key]: { ...inner, [innerKey]: odd } });
        }
      }
    }
  }
  return out;
}

describe("structural wire checks never pass what zod rejects or changes", () => {
  test.each(CHECKS)("%s: mutated values", (name, check) => {
    const base = BASES[name];
    const values = name === "dynamicComboOptions" ? mutations(base).map((v) => [v]) : mutations(base);
    values.push(...ODD_VALUES);
    const failures = values.flatMap((v) => {
      const why = disagreement(name, check, v);
      return why ? [`${why}: ${JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x))}`] : [];
    });
    expect(failures).toEqual([]);
    // The mutations include values the check accepts, or the property above would prove nothing.
    expect(values.filter((v) => check(v)).length).toBeGreaterThan(5);
  });

  const section = (extra: (o: Record<string, unknown>) => void) => {
    const o: Record<string, unknown> = { a: ["INT"] };
    extra(o);
    return { input: { required: o } };
  };
  const UNUSUAL: [string, unknown][] = [
    [
      "a __proto__ input (zod drops it)",
      section((o) => Object.defineProperty(o, "__proto__", { value: ["INT"], enumerable: true })),
    ],
    [
      "a symbol key (zod rejects it)",
      section((o) => Object.defineProperty(o, Symbol("s"), { value: 1, enumerable: true })),
    ],
    [
      "an input named constructor",
      section((o) => Object.defineProperty(o, "constructor", { value: ["INT"], enumerable: true })),
    ],
    ["a class instance as a section", { input: { required: new (class Section {})() } }],
    ["a Map as a section", { input: { required: new Map() } }],
  ];
  test.each(UNUSUAL)("%s goes to zod", (_name, value) => {
    expect(isNodeDefWire(value)).toBe(false);
  });

  test("a node with a __proto__ input loads as zod reads it: without that input", () => {
    const inputs = JSON.parse('{"__proto__": ["INT"], "a": ["INT"]}') as Record<string, unknown>;
    const catalog = parseCatalog({ N: { input: { required: inputs }, output: [] } });
    expect(catalog.nodes.get("N")?.inputs.map((i) => i.name)).toEqual(["a"]);
  });

  test("a failing node is reported with zod's message and path", () => {
    const catalog = parseCatalog({
      Good: { input: {}, output: ["IMAGE"] },
      Bad: { input: { required: { a: ["INT"] } }, output: ["IMAGE"], output_is_list: ["yes"] },
    });
    expect(catalog.problems).toEqual([
      { classType: "Bad", path: "output_is_list[0]", message: expect.stringMatching(/expected boolean/) },
    ]);
  });
});

// Every node of the real catalogs is checked both ways: where the check passes, zod agrees.
describeWithFixture("structural wire checks on real catalogs", ["object-info"], (dir) => {
  test.each([
    "comfyui-0.3.65-cpu.json",
    "install-2025-10-496-nodes.json",
    "install-2025-568-nodes.json",
    "install-2024-07-2068-nodes.json",
  ])("%s", (file) => {
    const catalog = parseJsonLossless(readFileSync(`${dir}/${file}`, "utf8")) as Record<string, unknown>;
    const failures: string[] = [];
    let passed = 0;
    const visit = (
      name: keyof WireSchemas,
      check: (v: unknown) => boolean,
      value: unknown,
      where: string,
    ) => {
      const why = disagreement(name, check, value);
      if (why) failures.push(`${where}: ${why}`);
      if (check(value)) passed++;
    };
    let v3 = 0;
    for (const [classType, def] of Object.entries(catalog)) {
      visit("nodeDef", isNodeDefWire, def, classType);
      const input = (def as { input?: Record<string, Record<string, unknown> | undefined> }).input ?? {};
      for (const section of [input["required"], input["optional"]]) {
        for (const [inputName, spec] of Object.entries(section ?? {})) {
          if (!Array.isArray(spec) || typeof spec[0] !== "string") continue;
          const options = (spec[1] ?? {}) as Record<string, unknown>;
          const where = `${classType}.${inputName}`;
          if (spec[0] === "COMFY_AUTOGROW_V3")
            visit("autogrowTemplate", isAutogrowTemplateWire, options["template"], where);
          else if (spec[0] === "COMFY_MATCHTYPE_V3")
            visit("matchTypeTemplate", isMatchTypeTemplateWire, options["template"], where);
          else if (spec[0] === "COMFY_DYNAMICCOMBO_V3")
            visit("dynamicComboOptions", isDynamicComboOptionsWire, options["options"], where);
          else continue;
          v3++;
        }
      }
    }
    process.stdout.write(
      `${file}: ${passed} of ${Object.keys(catalog).length + v3} values pass the structural check\n`,
    );
    expect(failures).toEqual([]);
    // Nearly every real node skips zod (a handful send a bare-string output, wrapped before the check).
    expect(passed).toBeGreaterThan((Object.keys(catalog).length + v3) * 0.98);
  });
});
