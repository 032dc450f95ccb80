// Load: 16 clients at once, each running 100 jobs of its own (a unique noise seed and colour per
// job) on one local server in its own process. Every job must get exactly its own pixels: the
// reference of each job is computed first, 100 jobs to a prompt (one branch per job), and each
// loaded job's image must decode to the same samples. Reports throughput and the server's RSS.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ComfyClient, type RunResult } from "@comfy-ts/core/client";
import { decodePng } from "@comfy-ts/core/png";
import { fuzzSeed, seededRandom } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "./support/child-server.js";

const CLIENTS = 16;
const JOBS_PER_CLIENT = 100;
const SEED = fuzzSeed(0x10ad_5eed);

interface Job {
  readonly client: number;
  readonly index: number;
  readonly seed: number;
  readonly color: number;
}

let dir: string;
let server: ChildServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "comfy-ts-load-"));
  server = await startChildServer(join(dir, "server"), join(dir, "cwd"));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One job's branch: its colour, its noise, saved under a prefix naming it. */
function branch(job: Job, prefix: string): Record<string, unknown> {
  const tag = `${job.client}_${job.index}`;
  return {
    [`${prefix}e`]: {
      class_type: "EmptyImage",
      inputs: { width: 16, height: 8, batch_size: 1, color: job.color },
    },
    [`${prefix}n`]: {
      class_type: "ImageAddNoise",
      inputs: { image: [`${prefix}e`, 0], seed: job.seed, strength: 0.25 },
    },
    [`${prefix}s`]: {
      class_type: "SaveImage",
      inputs: { images: [`${prefix}n`, 0], filename_prefix: `load_${tag}` },
    },
  };
}

function pixels(png: Uint8Array | undefined): string {
  if (!png) throw new Error("no image bytes");
  const decoded = decodePng(png);
  return Buffer.from(decoded.samples as Uint8Array).toString("base64");
}

function newClient(): ComfyClient {
  return new ComfyClient({
    baseUrl: server.url,
    timeouts: { queue: 300_000, execution: 60_000 },
    pollIntervalMs: 200,
  });
}

it(`${CLIENTS} clients × ${JOBS_PER_CLIENT} jobs with unique seeds (seed ${SEED}): each gets exactly its own pixels`, async () => {
  const random = seededRandom(SEED);
  const seeds = new Set<number>();
  const colors = new Set<number>();
  const jobs: Job[][] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const mine: Job[] = [];
    for (let i = 0; i < JOBS_PER_CLIENT; i++) {
      let seed = random.int(2 ** 31);
      while (seeds.has(seed)) seed = random.int(2 ** 31);
      seeds.add(seed);
      let color = random.int(0x1000000);
      while (colors.has(color)) color = random.int(0x1000000);
      colors.add(color);
      mine.push({ client: c, index: i, seed, color });
    }
    jobs.push(mine);
  }

  // References: each client's jobs as branches of one prompt, run one prompt at a time.
  const reference = new Map<string, string>();
  const quiet = newClient();
  for (const mine of jobs) {
    const prompt = Object.assign({}, ...mine.map((job, i) => branch(job, `r${i}`)));
    const result = await quiet.run(prompt as never);
    for (const [i, job] of mine.entries()) {
      const image = result.images.find((f) => f.nodeId === `r${i}s`);
      reference.set(`${job.client}_${job.index}`, pixels(image?.bytes));
    }
  }
  quiet.close();
  expect(new Set(reference.values()).size).toBe(CLIENTS * JOBS_PER_CLIENT);

  const rssBefore = server.rss();
  const started = performance.now();
  const mismatches: string[] = [];
  const failures: string[] = [];
  await Promise.all(
    jobs.map(async (mine) => {
      const client = newClient();
      try {
        for (const job of mine) {
          let result: RunResult;
          try {
            // A unique nonce per node: every job executes (nothing from the server's cache).
            result = await client.run(branch(job, "") as never, { forceExecution: "nonce" });
          } catch (error) {
            failures.push(`job ${job.client}_${job.index}: ${(error as Error).message}`);
            continue;
          }
          const got = pixels(result.images[0]?.bytes);
          if (result.cachedNodes.length > 0)
            failures.push(`job ${job.client}_${job.index}: came from the cache`);
          if (result.images.length !== 1 || got !== reference.get(`${job.client}_${job.index}`))
            mismatches.push(`job ${job.client}_${job.index} (${result.images[0]?.filename})`);
        }
      } finally {
        client.close();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rssAfter = server.rss();
  const mb = (bytes: number | undefined) =>
    bytes === undefined ? "?" : `${(bytes / 2 ** 20).toFixed(0)} MB`;
  process.stdout.write(
    `load, seed ${SEED}: ${CLIENTS * JOBS_PER_CLIENT} jobs from ${CLIENTS} clients in ${seconds.toFixed(1)} s ` +
      `(${((CLIENTS * JOBS_PER_CLIENT) / seconds).toFixed(0)} jobs/s); ${failures.length} failed, ` +
      `${mismatches.length} with other pixels; server RSS ${mb(rssBefore)} before, ${mb(rssAfter)} after\n`,
  );
  expect(failures).toEqual([]);
  expect(mismatches).toEqual([]);
  expect(server.alive()).toBe(true);
});
