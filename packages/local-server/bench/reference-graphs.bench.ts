import { sharedFixture } from "@comfy-ts/test-support";
import { afterAll, bench, describe } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import {
  listReferenceCases,
  runReferenceCase,
  uploadReferenceInputs,
} from "../test/support/reference-cases.js";

// The larger reference graphs, timed POST /prompt → executing{node:null} like the recording's
// `seconds` (shown in each name). Each run frees the cache first, as the recording did.
const root = sharedFixture("reference-outputs");
const NAMES = [
  "g148_flux_kontext_image_scale_lanczos",
  "g140_chain_image_9_nodes",
  "g149_vae_decode_tiled_pixelspace",
  "g141_chain_mask_8_nodes_blend",
  "g137_fanout_one_node_two_consumers",
  "g042_blur_r5_s2_0",
];

describe.skipIf(!root)(
  `reference graphs vs ComfyUI 0.3.65 on CPU${root ? "" : " [skipped: ../shared/fixtures/reference-outputs not found]"}`,
  () => {
    const cases = root ? listReferenceCases(root).filter((c) => NAMES.includes(c.name)) : [];
    const absent = root ? NAMES.filter((n) => !cases.some((c) => c.name === n)) : [];
    if (absent.length > 0) throw new Error(`reference graphs not in the corpus: ${absent.join(", ")}`);
    // Started on first use: bench tasks may run without the suite's hooks having run first.
    let ready: Promise<LocalServer> | undefined;
    const serve = () =>
      (ready ??= startLocalServer().then(async (server) => {
        await uploadReferenceInputs(server.url, `${root}/inputs`);
        return server;
      }));
    afterAll(async () => (await ready)?.close());

    for (const c of cases) {
      const recordedMs = Math.round(Number(c.meta.seconds) * 1000);
      bench(
        `${c.name} (ComfyUI: ${recordedMs} ms)`,
        async () => {
          const server = await serve();
          const run = await runReferenceCase(server.url, c);
          if (run.status !== 200)
            throw new Error(`${c.name} answered ${run.status}: ${JSON.stringify(run.body)}`);
          // A failed job also ends with executing{node:null}: time only graphs that ran through.
          const failure = run.frames.find((f) => "type" in f && f.type === "execution_error");
          if (failure) throw new Error(`${c.name} failed: ${JSON.stringify(failure)}`);
        },
        { iterations: 10, time: 0 },
      );
    }
  },
);
