/**
 * The deepest JSON body ComfyUI can read. Its `json.loads` (Python 3.11, recursion limit 1000) raises
 * `RecursionError` beyond 995 nested arrays/objects even at the top of an interpreter (fewer levels
 * inside aiohttp's handler), and the route answers 500. Deeper bodies are refused the same way here,
 * so nothing stored (queue, history) is deeper than the JSON writer can write back.
 */
export const MAX_JSON_NESTING = 995;

/** Whether `text` nests arrays/objects deeper than `limit` (strings are skipped; malformed text is not judged). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}
