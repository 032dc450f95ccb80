// `@comfy-ts/testing/node` is what a comparison (the CLI's compare, a reporter) loads: servers, zod and
// codecs load only when used. Counted in a fresh Node process with a module-load hook.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

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

async function modulesLoadedBy(entry: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--conditions", "@comfy-ts/source", "--import", "tsx", "--input-type=module", "-e", COUNT],
    { cwd: packageDir, env: { ...process.env, ENTRY: entry }, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as string[];
}

it("import '@comfy-ts/testing/node' loads at most 60 modules: no server, zod, client or codec", async () => {
  const modules = await modulesLoadedBy("@comfy-ts/testing/node");
  const heavy = modules.filter((url) =>
    /local-server|\/zod\/|\/client\/|node-av|sharp|\/media\/src\/(av|image)\//.test(url),
  );
  expect(heavy).toEqual([]);
  expect(modules.length).toBeLessThanOrEqual(60);
}, 60_000);
