import { isIdentifier } from "../naming.js";

/**
 * A lowerCamelCase variable name for a title or class name: `"Load Checkpoint"` → `loadCheckpoint`,
 * `"CLIPTextEncode"` → `clipTextEncode`, `"VAE Decode"` → `vaeDecode`. Undefined when nothing usable
 * is left (symbols only).
 */
export function camelName(text: string): string | undefined {
  const words = text
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}]+/u)
    .flatMap((part) =>
      part.split(
        /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{N})(?=\p{L})|(?<=\p{L})(?=\p{N})/u,
      ),
    )
    .filter((w) => w !== "");
  if (words.length === 0) return undefined;
  const [first, ...rest] = words;
  let name = first!.toLowerCase() + rest.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join("");
  if (/^\p{N}/u.test(name)) name = `n${name}`;
  return isIdentifier(name) ? name : isIdentifier(`${name}Node`) ? `${name}Node` : undefined;
}

/** Hands out unique names: the second `kSampler` becomes `kSampler2`. */
export class NameScope {
  private readonly used: Set<string>;
  constructor(taken: Iterable<string>) {
    this.used = new Set(taken);
  }

  take(preferred: string): string {
    let name = preferred;
    for (let n = 2; this.used.has(name); n++) name = `${preferred}${n}`;
    this.used.add(name);
    return name;
  }
}
