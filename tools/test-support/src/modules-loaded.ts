import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { tsNodeArgs } from "./ts-process.js";

// Runs in a fresh Node process: a module-load hook reports every URL it loads back to the main thread.
const COUNT = `
import { register } from "node:module";
const seen = new Set();
const { port1, port2 } = new MessageChannel();
port1.on("message", (url) => seen.add(url));
register("data:text/javascript," + encodeURIComponent(
  "let port; export async function initialize(d) { port = d.port; }" +
  "export async function load(url, context, next) { port.postMessage(url); return next(url, context); }"),
  { data: { port: port2 }, transferList: [port2] });
await import(process.env.ENTRY);
await new Promise((resolve) => setTimeout(resolve, 100));
port1.close();
console.log(JSON.stringify([...seen].filter((url) => url.startsWith("file:"))));
`;

/**
 * The `file:` URLs of the modules that `import(entry)` loads in a fresh Node process (workspace packages
 * from their sources). `entry` is a specifier resolved from `cwd` (a package name, or a file URL).
 *
 * @example
 * expect((await modulesLoadedBy("@comfy-ts/testing/node", packageDir)).length).toBeLessThanOrEqual(60);
 */
export async function modulesLoadedBy(entry: string, cwd: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...tsNodeArgs(), "--input-type=module", "-e", COUNT],
    { cwd, env: { ...process.env, ENTRY: entry }, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as string[];
}
