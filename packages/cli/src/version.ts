import { readFileSync } from "node:fs";

/** The version of the installed `comfy-ts` package (src/ and dist/ both sit next to package.json). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
