import { BOOLEAN, defineNode, INT, out, STRING, V3COMBO } from "./define.js";

// comfy_extras/nodes_string.py

const NODE = { category: "utils/string", module: "comfy_extras.nodes_string", v3: true } as const;
const ML = STRING({ multiline: true });

/** Python `str[start:end]` with negative indices, on code points. */
function pySlice(s: string, start: number, end: number): string {
  const cps = [...s];
  const n = cps.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  return cps.slice(norm(start), Math.max(norm(start), norm(end))).join("");
}

const PY_WS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
const LEFT_WS = new RegExp(`^[${PY_WS}]+`, "u");
const RIGHT_WS = new RegExp(`[${PY_WS}]+$`, "u");

/** Python's `str.title()`: capitalise after every non-letter. */
function pyTitle(s: string): string {
  let prevCased = false;
  let outS = "";
  for (const ch of s) {
    const isLetter = /\p{L}/u.test(ch);
    outS += isLetter ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = isLetter;
  }
  return outS;
}

const stringConcatenate = defineNode(
  {
    ...NODE,
    name: "StringConcatenate",
    display: "Concatenate",
    required: { string_a: ML, string_b: ML, delimiter: STRING({ default: "", multiline: false }) },
    outputs: [["STRING"]],
  },
  (i) => out(`${i.string_a}${i.delimiter}${i.string_b}`),
);

const stringSubstring = defineNode(
  {
    ...NODE,
    name: "StringSubstring",
    display: "Substring",
    required: { string: ML, start: INT({}), end: INT({}) },
    outputs: [["STRING"]],
  },
  (i) => out(pySlice(i.string, Number(i.start), Number(i.end))),
);

const stringLength = defineNode(
  {
    ...NODE,
    name: "StringLength",
    display: "Length",
    required: { string: ML },
    outputs: [["INT", "length"]],
  },
  (i) => out([...i.string].length),
);

const caseConverter = defineNode(
  {
    ...NODE,
    name: "CaseConverter",
    display: "Case Converter",
    required: { string: ML, mode: V3COMBO(["UPPERCASE", "lowercase", "Capitalize", "Title Case"]) },
    outputs: [["STRING"]],
  },
  ({ string: s, mode }) => {
    switch (mode) {
      case "UPPERCASE":
        return out(s.toUpperCase());
      case "lowercase":
        return out(s.toLowerCase());
      case "Capitalize":
        return out(s.length ? (s[0] as string).toUpperCase() + s.slice(1).toLowerCase() : s);
      case "Title Case":
        return out(pyTitle(s));
      default:
        return out(s);
    }
  },
);

const stringTrim = defineNode(
  {
    ...NODE,
    name: "StringTrim",
    display: "Trim",
    required: { string: ML, mode: V3COMBO(["Both", "Left", "Right"]) },
    outputs: [["STRING"]],
  },
  ({ string: s, mode }) => {
    if (mode === "Left") return out(s.replace(LEFT_WS, ""));
    if (mode === "Right") return out(s.replace(RIGHT_WS, ""));
    return out(s.replace(LEFT_WS, "").replace(RIGHT_WS, ""));
  },
);

const stringReplace = defineNode(
  {
    ...NODE,
    name: "StringReplace",
    display: "Replace",
    required: { string: ML, find: ML, replace: ML },
    outputs: [["STRING"]],
  },
  (i) => out(i.string.split(i.find).join(i.replace)),
);

const stringContains = defineNode(
  {
    ...NODE,
    name: "StringContains",
    display: "Contains",
    required: { string: ML, substring: ML, case_sensitive: BOOLEAN({ default: true }) },
    outputs: [["BOOLEAN", "contains"]],
  },
  (i) => {
    const s = i.case_sensitive ? i.string : i.string.toLowerCase();
    const sub = i.case_sensitive ? i.substring : i.substring.toLowerCase();
    return out(s.includes(sub));
  },
);

const stringCompare = defineNode(
  {
    ...NODE,
    name: "StringCompare",
    display: "Compare",
    required: {
      string_a: ML,
      string_b: ML,
      mode: V3COMBO(["Starts With", "Ends With", "Equal"]),
      case_sensitive: BOOLEAN({ default: true }),
    },
    outputs: [["BOOLEAN"]],
  },
  (i) => {
    const a = i.case_sensitive ? i.string_a : i.string_a.toLowerCase();
    const b = i.case_sensitive ? i.string_b : i.string_b.toLowerCase();
    if (i.mode === "Starts With") return out(a.startsWith(b));
    if (i.mode === "Ends With") return out(a.endsWith(b));
    return out(a === b);
  },
);

const REGEX_FLAGS = {
  case_insensitive: BOOLEAN({ default: true }),
  multiline: BOOLEAN({ default: false }),
  dotall: BOOLEAN({ default: false }),
};

interface RegexFlags {
  readonly case_insensitive?: boolean | undefined;
  readonly multiline?: boolean | undefined;
  readonly dotall?: boolean | undefined;
}

/** A Python `re` pattern as a JS RegExp (named groups `(?P<n>` → `(?<n>`); undefined when invalid (`re.error`). */
function compile(pattern: string, i: RegexFlags, global = false): RegExp | undefined {
  let flags = "u";
  if (i.case_insensitive ?? true) flags += "i";
  if (i.multiline) flags += "m";
  if (i.dotall) flags += "s";
  if (global) flags += "g";
  try {
    return new RegExp(pattern.replaceAll("(?P<", "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>"), flags);
  } catch {
    return undefined;
  }
}

const regexMatch = defineNode(
  {
    ...NODE,
    name: "RegexMatch",
    display: "Regex Match",
    required: { string: ML, regex_pattern: ML, ...REGEX_FLAGS },
    outputs: [["BOOLEAN", "matches"]],
  },
  (i) => out(compile(i.regex_pattern, i)?.test(i.string) ?? false),
);

const regexExtract = defineNode(
  {
    ...NODE,
    name: "RegexExtract",
    display: "Regex Extract",
    required: {
      string: ML,
      regex_pattern: ML,
      mode: V3COMBO(["First Match", "All Matches", "First Group", "All Groups"]),
      ...REGEX_FLAGS,
      group_index: INT({ default: 1, min: 0, max: 100 }),
    },
    outputs: [["STRING"]],
  },
  (i) => {
    const g = i.group_index;
    const re = compile(i.regex_pattern, i, true);
    if (!re) return out("");
    const matches = [...i.string.matchAll(re)];
    switch (i.mode) {
      case "First Match":
        return out(matches[0]?.[0] ?? "");
      case "All Matches":
        // re.findall returns group 1 (or a tuple whose first item ComfyUI takes) when the pattern has groups.
        return out(matches.map((m) => (m.length > 1 ? (m[1] ?? "") : m[0])).join("\n"));
      case "First Group": {
        const m = matches[0];
        return out(m && m.length - 1 >= g ? (m[g] ?? "") : "");
      }
      case "All Groups":
        return out(
          matches
            .filter((m) => m.length > 1 && m.length - 1 >= g)
            .map((m) => m[g] ?? "")
            .join("\n"),
        );
      default:
        return out("");
    }
  },
);

const TEMPLATE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  f: "\f",
  v: "\v",
  a: "\x07",
  b: "\b",
  "\\": "\\",
};

/** Python `re` replacement templates: `\1`, `\g<1>`, `\g<name>` and the character escapes. */
function expandTemplate(
  template: string,
  groups: ReadonlyArray<string | undefined>,
  named: Record<string, string | undefined>,
): string {
  return template.replace(
    /\\(?:(\d{1,2})|g<(\w+)>|(.))/gs,
    (m, digits: string | undefined, name: string | undefined, ch: string | undefined) => {
      if (digits !== undefined) return groups[Number(digits)] ?? "";
      if (name !== undefined) return (/^\d+$/.test(name) ? groups[Number(name)] : named[name]) ?? "";
      return ch !== undefined && ch in TEMPLATE_ESCAPES ? (TEMPLATE_ESCAPES[ch] as string) : m;
    },
  );
}

const regexReplace = defineNode(
  {
    ...NODE,
    name: "RegexReplace",
    display: "Regex Replace",
    description: "Find and replace text using regex patterns.",
    required: { string: ML, regex_pattern: ML, replace: ML },
    optional: {
      case_insensitive: BOOLEAN({ default: true }),
      multiline: BOOLEAN({ default: false }),
      dotall: BOOLEAN({
        tooltip:
          "When enabled, the dot (.) character will match any character including newline characters. When disabled, dots won't match newlines.",
        default: false,
      }),
      count: INT({
        tooltip:
          "Maximum number of replacements to make. Set to 0 to replace all occurrences (default). Set to 1 to replace only the first match, 2 for the first two matches, etc.",
        default: 0,
        min: 0,
        max: 100,
      }),
    },
    outputs: [["STRING"]],
  },
  (i) => {
    const count = i.count ?? 0;
    const re = compile(i.regex_pattern, i, true);
    if (!re) return out(i.string);
    let done = 0;
    return out(
      i.string.replace(re, (whole: string, ...rest: unknown[]) => {
        if (count > 0 && done >= count) return whole;
        done++;
        const last = rest.at(-1);
        const hasNamed = typeof last === "object" && last !== null;
        const named: Record<string, string | undefined> = hasNamed ? { ...last } : {};
        const groups = [whole, ...rest.slice(0, hasNamed ? -3 : -2)].map((g) =>
          typeof g === "string" ? g : undefined,
        );
        return expandTemplate(i.replace, groups, named);
      }),
    );
  },
);

export const nodes = [
  stringConcatenate,
  stringSubstring,
  stringLength,
  caseConverter,
  stringTrim,
  stringReplace,
  stringContains,
  stringCompare,
  regexMatch,
  regexExtract,
  regexReplace,
];
