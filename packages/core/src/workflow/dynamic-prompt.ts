/**
 * What ComfyUI's editor does to `dynamicPrompts` STRING widgets when it queues a prompt: strip
 * C-style comments (`//…` to the end of the line — including the `//` of URLs — and `/* … *\/`),
 * replace each `{a|b|{c|d}}` choice with one option, then unescape `\{`, `\|` and `\}` (other
 * backslashes stay).
 *
 * The editor picks options at random; `random` decides here (default: always the first option, so
 * conversion is deterministic).
 */
export function processDynamicPrompt(input: string, random: () => number = () => 0): string {
  const text = input.replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, "");
  let i = 0;
  let result = "";
  const escaped = (): string => `\\${text[i++] ?? ""}`;
  const choiceBlock = (): string => {
    const options: string[] = [];
    let option = "";
    let depth = 0;
    while (i < text.length) {
      const c = text[i++]!;
      if (c === "\\") {
        option += escaped();
        continue;
      }
      if (c === "{") depth++;
      else if (c === "}") {
        if (depth === 0) break;
        depth--;
      } else if (c === "|" && depth === 0) {
        options.push(option);
        option = "";
        continue;
      }
      option += c;
    }
    options.push(option);
    const index = Math.min(options.length - 1, Math.max(0, Math.floor(random() * options.length)));
    return processDynamicPrompt(options[index] ?? "", random);
  };
  while (i < text.length) {
    const c = text[i++]!;
    if (c === "\\") result += escaped();
    else if (c === "{") result += choiceBlock();
    else result += c;
  }
  return result.replace(/\\([{}|])/g, "$1");
}

/**
 * Escapes `{`, `|` and `}` so that `processDynamicPrompt` (and the editor) give `text` back.
 * Comments cannot be escaped: the editor strips every `//…` and `/* … *\/`.
 */
export function escapeDynamicPrompt(text: string): string {
  return text.replace(/[{}|]/g, (c) => `\\${c}`);
}
