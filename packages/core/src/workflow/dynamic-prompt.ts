/**
 * What ComfyUI's editor does to `dynamicPrompts` STRING widgets when it queues a prompt: strip
 * C-style comments (`//…` to the end of the line — including the `//` of URLs — and `/* … *\/`),
 * then replace each `{a|b|{c|d}}` choice with one option; `\{`, `\|`, `\}` stay literal.
 *
 * The editor picks options at random; `random` decides here (default: always the first option, so
 * conversion is deterministic).
 */
export function processDynamicPrompt(text: string, random: () => number = () => 0): string {
  const stripped = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, "");
  let pos = 0;
  // Parses until `}` or `|` at this depth (or the end); returns the chosen text.
  const parseSequence = (nested: boolean): string => {
    let out = "";
    while (pos < stripped.length) {
      const c = stripped[pos]!;
      if (c === "\\" && pos + 1 < stripped.length) {
        out += stripped[pos + 1];
        pos += 2;
      } else if (c === "{") {
        pos++;
        out += parseChoice();
      } else if (nested && (c === "}" || c === "|")) {
        return out;
      } else {
        out += c;
        pos++;
      }
    }
    return out;
  };
  const parseChoice = (): string => {
    const options: string[] = [];
    for (;;) {
      options.push(parseSequence(true));
      const c = stripped[pos];
      pos++;
      if (c !== "|") break;
    }
    const index = Math.min(options.length - 1, Math.max(0, Math.floor(random() * options.length)));
    return options[index] ?? "";
  };
  return parseSequence(false);
}
