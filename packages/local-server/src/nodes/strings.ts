import { BOOLEAN, defineNode, INT, out, STRING, V3COMBO } from "./define.js";

const MOD = "comfy_extras.nodes_string";
const CAT = "utils/string";
const ML = STRING({ multiline: true });

function str(
  name: string,
  display: string,
  required: Record<string, readonly unknown[]>,
  outputs: Array<[string, string?]>,
  fn: (i: Record<string, unknown>) => unknown,
  optional?: Record<string, readonly unknown[]>,
  description?: string,
) {
  return defineNode(
    {
      name,
      display,
      category: CAT,
      module: MOD,
      v3: true,
      required,
      outputs,
      ...(optional ? { optional } : {}),
      ...(description ? { description } : {}),
    },
    (inputs) => out(fn(inputs)),
  );
}

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

export const stringConcatenate = str(
  "StringConcatenate",
  "Concatenate",
  { string_a: ML, string_b: ML, delimiter: STRING({ default: "", multiline: false }) },
  [["STRING"]],
  (i) => `${String(i.string_a)}${String(i.delimiter)}${String(i.string_b)}`,
);

export const stringSubstring = str(
  "StringSubstring",
  "Substring",
  { string: ML, start: INT({}), end: INT({}) },
  [["STRING"]],
  (i) => pySlice(String(i.string), Number(i.start), Number(i.end)),
);

export const stringLength = str(
  "StringLength",
  "Length",
  { string: ML },
  [["INT", "length"]],
  (i) => [...String(i.string)].length,
);

export const caseConverter = str(
  "CaseConverter",
  "Case Converter",
  { string: ML, mode: V3COMBO(["UPPERCASE", "lowercase", "Capitalize", "Title Case"]) },
  [["STRING"]],
  (i) => {
    const s = String(i.string);
    switch (i.mode) {
      case "UPPERCASE":
        return s.toUpperCase();
      case "lowercase":
        return s.toLowerCase();
      case "Capitalize":
        return s.length ? (s[0] as string).toUpperCase() + s.slice(1).toLowerCase() : s;
      case "Title Case":
        return pyTitle(s);
      default:
        return s;
    }
  },
);

export const stringTrim = str(
  "StringTrim",
  "Trim",
  { string: ML, mode: V3COMBO(["Both", "Left", "Right"]) },
  [["STRING"]],
  (i) => {
    const s = String(i.string);
    if (i.mode === "Left") return s.replace(LEFT_WS, "");
    if (i.mode === "Right") return s.replace(RIGHT_WS, "");
    return s.replace(LEFT_WS, "").replace(RIGHT_WS, "");
  },
);

export const stringReplace = str(
  "StringReplace",
  "Replace",
  { string: ML, find: ML, replace: ML },
  [["STRING"]],
  (i) => String(i.string).split(String(i.find)).join(String(i.replace)),
);

export const stringContains = str(
  "StringContains",
  "Contains",
  { string: ML, substring: ML, case_sensitive: BOOLEAN({ default: true }) },
  [["BOOLEAN", "contains"]],
  (i) => {
    const cs = Boolean(i.case_sensitive);
    const s = cs ? String(i.string) : String(i.string).toLowerCase();
    const sub = cs ? String(i.substring) : String(i.substring).toLowerCase();
    return s.includes(sub);
  },
);

export const stringCompare = str(
  "StringCompare",
  "Compare",
  {
    string_a: ML,
    string_b: ML,
    mode: V3COMBO(["Starts With", "Ends With", "Equal"]),
    case_sensitive: BOOLEAN({ default: true }),
  },
  [["BOOLEAN"]],
  (i) => {
    const cs = Boolean(i.case_sensitive);
    const a = cs ? String(i.string_a) : String(i.string_a).toLowerCase();
    const b = cs ? String(i.string_b) : String(i.string_b).toLowerCase();
    if (i.mode === "Starts With") return a.startsWith(b);
    if (i.mode === "Ends With") return a.endsWith(b);
    return a === b;
  },
);

const REGEX_FLAGS = {
  case_insensitive: BOOLEAN({ default: true }),
  multiline: BOOLEAN({ default: false }),
  dotall: BOOLEAN({ default: false }),
};

/** A Python `re` pattern as a JS RegExp (named groups `(?P<n>` → `(?<n>`); undefined when invalid (`re.error`). */
function compile(pattern: string, i: Record<string, unknown>, global = false): RegExp | undefined {
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

export const regexMatch = str(
  "RegexMatch",
  "Regex Match",
  { string: ML, regex_pattern: ML, ...REGEX_FLAGS },
  [["BOOLEAN", "matches"]],
  (i) => compile(String(i.regex_pattern), i)?.test(String(i.string)) ?? false,
);

export const regexExtract = str(
  "RegexExtract",
  "Regex Extract",
  {
    string: ML,
    regex_pattern: ML,
    mode: V3COMBO(["First Match", "All Matches", "First Group", "All Groups"]),
    ...REGEX_FLAGS,
    group_index: INT({ default: 1, min: 0, max: 100 }),
  },
  [["STRING"]],
  (i) => {
    const s = String(i.string);
    const g = Number(i.group_index);
    const re = compile(String(i.regex_pattern), i, true);
    if (!re) return "";
    const matches = [...s.matchAll(re)];
    switch (i.mode) {
      case "First Match":
        return matches[0]?.[0] ?? "";
      case "All Matches":
        // re.findall returns group 1 (or a tuple whose first item ComfyUI takes) when the pattern has groups.
        return matches.map((m) => (m.length > 1 ? (m[1] ?? "") : m[0])).join("\n");
      case "First Group": {
        const m = matches[0];
        return m && m.length - 1 >= g ? (m[g] ?? "") : "";
      }
      case "All Groups":
        return matches
          .filter((m) => m.length > 1 && m.length - 1 >= g)
          .map((m) => m[g] ?? "")
          .join("\n");
      default:
        return "";
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

export const regexReplace = str(
  "RegexReplace",
  "Regex Replace",
  { string: ML, regex_pattern: ML, replace: ML },
  [["STRING"]],
  (i) => {
    const count = Number(i.count ?? 0);
    const re = compile(String(i.regex_pattern), i, true);
    if (!re) return String(i.string);
    const template = String(i.replace);
    let done = 0;
    return String(i.string).replace(re, (...args) => {
      const whole = args[0] as string;
      if (count > 0 && done >= count) return whole;
      done++;
      const last = args.at(-1);
      const named =
        typeof last === "object" && last !== null ? (last as Record<string, string | undefined>) : {};
      const groups = args.slice(0, typeof last === "object" && last !== null ? -3 : -2) as Array<
        string | undefined
      >;
      return expandTemplate(template, groups, named);
    });
  },
  {
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
  "Find and replace text using regex patterns.",
);
