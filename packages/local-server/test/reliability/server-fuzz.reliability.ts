// The local server against generated malformed and hostile requests, from a fixed seed: every route,
// bodies, headers, multipart, WebSocket upgrades and frames, resets. The server runs in its own
// process (a crash ends it), answers each request as ComfyUI answers its class, and writes nothing
// outside the folders it was given.
import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fuzzSeed, seededRandom } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "./support/child-server.js";
import { type FuzzContext, generateCase } from "./support/fuzz-cases.js";
import { jsonObject, parsePythonJson } from "./support/fuzz-expectations.js";
import { httpRequest, sendRaw } from "./support/raw-http.js";

const SEED = fuzzSeed(0x00c0ffee);
const CASES = Number(process.env.COMFY_TS_FUZZ_CASES ?? 600);

let sandbox: string;
let server: ChildServer;
let ctx: FuzzContext;

/** Every file and folder under `dir` (relative paths, `/`-separated), symlinks not followed. */
async function listTree(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (path: string) => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      out.add(relative(dir, full).split(sep).join("/"));
      if (entry.isDirectory() && !(await lstat(full)).isSymbolicLink()) await walk(full);
    }
  };
  await walk(dir);
  return out;
}

beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), "comfy-ts-fuzz-"));
  const root = join(sandbox, "root");
  server = await startChildServer(root, join(sandbox, "cwd"));
  const { host } = new URL(server.url);
  ctx = { url: server.url, host, root, sandbox };
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (sandbox) await rm(sandbox, { recursive: true, force: true });
});

describe(`local server fuzz (seed ${SEED}, ${CASES} cases; replay with COMFY_TS_FUZZ_SEED=${SEED})`, () => {
  it("answers every malformed request as ComfyUI answers its class, stays up, and writes only inside its folders", async () => {
    const before = await listTree(sandbox);
    const r = seededRandom(SEED);
    const problems: string[] = [];
    const counts = new Map<string, { tried: number; held: number }>();
    for (let index = 0; index < CASES; index++) {
      const fuzzCase = generateCase(r.fork(), ctx);
      const count = counts.get(fuzzCase.kind) ?? { tried: 0, held: 0 };
      counts.set(fuzzCase.kind, count);
      count.tried++;
      let problem: string | undefined;
      try {
        problem = await fuzzCase.run();
      } catch (error) {
        problem = `the case itself failed: ${(error as Error).stack ?? error}`;
      }
      if (!server.alive()) {
        problems.push(
          `#${index} ${fuzzCase.kind}: the server process ended (${JSON.stringify(server.exit())}) after: ${fuzzCase.detail}\n${server.stderr().slice(-2000)}`,
        );
        break;
      }
      if (problem === undefined) count.held++;
      else problems.push(`#${index} ${fuzzCase.kind}: ${problem}`);
      if (index % 50 === 49) {
        const stats = await sendRaw(server.url, httpRequest("GET", "/system_stats", ctx.host));
        if (stats.status !== 200) problems.push(`after #${index}: /system_stats answered ${stats.status}`);
      }
    }

    // Still serving, and history/queue still readable (a poisoned entry would make them 500).
    for (const route of ["/history", "/queue", "/system_stats"]) {
      const answer = await sendRaw(server.url, httpRequest("GET", route, ctx.host));
      const problem = jsonObject(answer);
      if (problem) problems.push(`GET ${route} after the run: ${problem}`);
      else parsePythonJson(answer.body.toString("utf8"));
    }

    // Wait for queued jobs to end (their files are part of what must stay inside).
    for (let i = 0; i < 100; i++) {
      const queue = parsePythonJson(
        (await sendRaw(server.url, httpRequest("GET", "/queue", ctx.host))).body.toString("utf8"),
      ) as {
        queue_running: unknown[];
        queue_pending: unknown[];
      };
      if (queue.queue_running.length + queue.queue_pending.length === 0) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    const after = await listTree(sandbox);
    const allowed = ["root/input", "root/output", "root/temp"];
    const outside = [...after].filter(
      (p) => !before.has(p) && !allowed.some((a) => p === a || p.startsWith(`${a}/`)),
    );
    if (outside.length > 0) problems.push(`written outside the server's folders: ${outside.join(", ")}`);

    const table = [...counts].map(([kind, c]) => `${kind}: ${c.held}/${c.tried}`).join("; ");
    const tried = [...counts.values()].reduce((a, c) => a + c.tried, 0);
    const held = [...counts.values()].reduce((a, c) => a + c.held, 0);
    process.stdout.write(`server fuzz, seed ${SEED}: ${held}/${tried} cases held (${table})\n`);
    expect(tried).toBeGreaterThanOrEqual(Math.min(CASES, 500));
    expect(problems.slice(0, 25), `${problems.length} problems`).toEqual([]);
    expect(server.alive()).toBe(true);
  }, 600_000);
});
