import { readFileSync } from "node:fs";

/**
 * The example `POST /prompt` body of the seed API document (Chinese, 2023), parsed from the text:
 * the JSON object that follows "Body 请求参数" under "11、POST /prompt".
 */
export function readSeedPromptBody(path: string): { client_id: string; prompt: Record<string, unknown> } {
  const text = readFileSync(path, "utf8");
  const section = text.indexOf("POST /prompt");
  const start = text.indexOf("{", text.indexOf('"client_id"', section) - 10);
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  throw new Error(`no complete JSON body after "POST /prompt" in ${path}`);
}
