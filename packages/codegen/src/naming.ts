/**
 * Identifiers for node classes: every class_type gets a deterministic, readable TypeScript identifier.
 * `KSampler (Efficient)` → `KSampler_Efficient`, `ShowText|pysssss` → `ShowText_pysssss`,
 * `Image Resize+` → `Image_Resize_plus`, `3DLoader` → `_3DLoader`, `delete` → `delete_`.
 */

// Words that cannot name a `const` in an ES module (strict mode), plus globals a declaration may not shadow.
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with implements interface let package private protected public static yield await arguments eval " +
    "undefined NaN Infinity globalThis"
  ).split(" "),
);

// Symbols that carry meaning in class names; others become `_`.
const SYMBOL_WORDS: Readonly<Record<string, string>> = {
  "+": "plus",
  "&": "and",
  "@": "at",
  "#": "hash",
  "%": "pct",
};

const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** True when `name` can be written as a bare identifier (and is not a reserved word). */
export function isIdentifier(name: string): boolean {
  if (name === "" || RESERVED.has(name)) return false;
  let first = true;
  for (const ch of name) {
    if (!(first ? ID_START : ID_PART).test(ch)) return false;
    first = false;
  }
  return true;
}

/** The readable identifier for a name, before collisions are resolved. */
export function baseIdentifier(name: string): string {
  if (isIdentifier(name)) return name;
  let out = "";
  for (const ch of name) {
    if (ID_PART.test(ch)) out += ch;
    else {
      const word = SYMBOL_WORDS[ch];
      out += word === undefined ? "_" : `_${word}_`;
    }
  }
  out = out
    .replace(/_{2,}/g, "_")
    .replace(/^_(?=.)/, "")
    .replace(/(?<=.)_$/, "");
  if (out === "" || out === "_")
    out = `node_${[...name].map((c) => c.codePointAt(0)!.toString(16)).join("_")}`;
  if (!ID_START.test(String.fromCodePoint(out.codePointAt(0)!))) out = `_${out}`;
  if (RESERVED.has(out)) out = `${out}_`;
  return out;
}

/** Code-unit order (not locale order): the same on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Assigns a unique identifier to each name. Names that are identifiers already keep them; the others
 * get `baseIdentifier`, and on collision `_2`, `_3`, … in code-unit order of the original names, so the
 * result does not depend on the order the server listed them. `taken` holds names the module uses itself.
 */
export function assignIdentifiers(
  names: Iterable<string>,
  taken: Iterable<string> = [],
): Map<string, string> {
  const used = new Set(taken);
  const result = new Map<string, string>();
  const sorted = [...new Set(names)].sort(compareCodeUnits);
  // Exact identifiers first, so `Image_Resize_plus` keeps its name even if `Image Resize+` maps to it too.
  for (const name of sorted) {
    if (isIdentifier(name) && !used.has(name)) {
      used.add(name);
      result.set(name, name);
    }
  }
  for (const name of sorted) {
    if (result.has(name)) continue;
    const base = baseIdentifier(name);
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
    used.add(candidate);
    result.set(name, candidate);
  }
  return result;
}

/** A property key as written in TypeScript: bare when it is an identifier name, else a string literal. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}
