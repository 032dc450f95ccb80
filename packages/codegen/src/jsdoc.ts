import type { InputDef, NodeDef } from "@comfy-ts/core/catalog";

// Most tooltips need none of the rewriting below; testing first saves a split/join per text.
const NEEDS_CLEANING = /[\r\n@]|^\s|\s$/;

/** Doc text as a reader wants it: no line read as a tag, no trailing blanks (`commentText` makes it safe). */
export function docText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/\s+$/, "").replace(/^(\s*)@/, "$1\\@"))
    .join("\n")
    .trim();
}

// Everything but the characters safe in a comment, and the terminator: CR, U+2028 and U+2029 would
// start a line without its ` * `, C0 controls show as nothing (NUL makes TypeScript read the file
// as binary), and surrogates are safe only in pairs.
const UNSAFE_IN_COMMENT = /\*\/|[^\t\n\x20-\x7e\x80-\u2027\u202a-\ud7ff\ue000-\uffff]/g;

/**
 * Text that can stand inside a block comment (`"block"`), or each of its lines after `//` (`"line"`,
 * where a `*\/` ends nothing and stays as written). Lines end in `\n` only.
 */
export function commentText(text: string, kind: "block" | "line" = "block"): string {
  return text.replace(UNSAFE_IN_COMMENT, (match, at: number) => {
    if (match === "*/") return kind === "block" ? "*\\/" : match;
    const c = match.charCodeAt(0);
    if (c === 0x2028 || c === 0x2029) return "\n";
    // CRLF is one line end.
    if (c === 0x0d) return text.charCodeAt(at + 1) === 0x0a ? "" : "\n";
    if (isHighSurrogate(c) && isLowSurrogate(text.charCodeAt(at + 1))) return match;
    if (isLowSurrogate(c) && isHighSurrogate(text.charCodeAt(at - 1))) return match;
    return `\\u${c.toString(16).padStart(4, "0")}`;
  });
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function code(value: unknown): string {
  const text =
    typeof value === "bigint" ? `${value}` : typeof value === "string" ? JSON.stringify(value) : `${value}`;
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The docs of one input: tooltip, label, default and ranges, and a note. */
export function inputDocs(input: InputDef, note?: string): string {
  const parts: string[] = [];
  if (input.tooltip) parts.push(docText(input.tooltip));
  if (input.displayName && input.displayName !== input.name)
    parts.push(`Label: ${docText(input.displayName)}`);
  const facts: string[] = [];
  const i = input as Partial<Record<"default" | "min" | "max" | "step", unknown>>;
  if ("default" in input && i.default !== undefined) facts.push(`default ${code(i.default)}`);
  if ("min" in input && input.kind !== "autogrow" && i.min !== undefined) facts.push(`min ${code(i.min)}`);
  if ("max" in input && input.kind !== "autogrow" && i.max !== undefined) facts.push(`max ${code(i.max)}`);
  if ("step" in input && i.step !== undefined) facts.push(`step ${code(i.step)}`);
  if (input.forceInput) facts.push("link only");
  if (input.kind === "string" && input.multiline) facts.push("multiline");
  if (input.lazy) facts.push("lazy");
  if (facts.length > 0) parts.push(`${facts.join(" · ")}.`.replace(/^./, (c) => c.toUpperCase()));
  if (note) parts.push(note);
  return parts.join("\n\n");
}

/** The docs of a node factory: display name, class, description, category, pack, outputs, flags. */
export function nodeDocs(def: NodeDef, outputs: string): string {
  const parts: string[] = [`**${docText(def.displayName)}** (\`${docText(def.classType)}\`)`];
  if (def.description) parts.push(docText(def.description));
  const facts = [`Category: ${def.category ? `\`${docText(def.category)}\`` : "none"}`];
  if (def.pythonModule) facts.push(`module \`${docText(def.pythonModule)}\``);
  parts.push(facts.join(" · "));
  parts.push(outputs);
  const flags: string[] = [];
  if (def.outputNode) flags.push("Output node: a root of execution.");
  if (def.experimental) flags.push("Experimental.");
  if (def.apiNode) flags.push("API node: runs on a paid remote service.");
  if (def.devOnly) flags.push("Developer-only node.");
  if (flags.length > 0) parts.push(flags.join(" "));
  return parts.join("\n\n");
}
