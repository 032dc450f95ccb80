import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCatalogText } from "@comfy-ts/core";
import { repoRoot, sharedFixture } from "@comfy-ts/test-support";
import { bench, describe } from "vitest";
import { generate } from "../src/index.js";
import { publish, RunLog, runProcess } from "./support/measure.js";
import { startStubServer } from "./support/stub-server.js";

// Targets, on the 2,068-node catalog:
// - whole-process `comfy-ts codegen` at least as fast as `cfli codegen` of @saintno/comfyui-sdk,
//   measured in the same run against the same stub server, and ≤ 300 MB peak RSS;
// - `tsc --noEmit` of a 9-line pipeline importing the generated module ≤ 1.0 s above the same pipeline
//   without it.
// Whole-process runs use the built CLI (`pnpm build` first) and the peer installed outside the repo:
//   mkdir -p /tmp/comfyui-sdk-peer && cd /tmp/comfyui-sdk-peer && npm init -y && npm i @saintno/comfyui-sdk
// (or point COMFY_TS_PEER_CFLI at its cfli). Missing pieces skip their benches, saying why.
const catalogPath = sharedFixture("object-info", "install-2024-07-2068-nodes.json");
const text = catalogPath ? readFileSync(catalogPath, "utf8") : "";
const cliBin = join(repoRoot, "packages/cli/dist/bin.js");
const coreTypes = join(repoRoot, "packages/core/dist/index.d.ts");
const peerCfli =
  process.env["COMFY_TS_PEER_CFLI"] ?? "/tmp/comfyui-sdk-peer/node_modules/@saintno/comfyui-sdk/dist/cli.js";
const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
const ITER = { iterations: 5, warmupIterations: 1, time: 0 } as const;
/** CPU and peak-RSS medians of the whole-process runs land here (ignored by git). */
const reportFile = join(repoRoot, "packages/codegen/.comfy-ts/bench-report.txt");

describe.skipIf(!catalogPath)("codegen in process: 2,068 nodes", () => {
  const catalog = catalogPath ? parseCatalogText(text) : undefined;
  bench("generate (catalog → nodes.d.ts + nodes.js + manifest)", () => {
    generate(catalog!, { catalogText: text });
  });
  bench("baseline: parseCatalogText of the same catalog", () => {
    parseCatalogText(text);
  });
});

const haveCli = existsSync(cliBin);
const havePeer = existsSync(peerCfli);
const log = new RunLog();
let stub: { url: string; close(): Promise<void> } | undefined;
const work = join(tmpdir(), `comfy-ts-codegen-bench-${process.pid}`);

// Vitest runs no hooks around benches: set up lazily, report from the last bench's teardown.
async function stubUrl(): Promise<string> {
  if (!stub) {
    mkdirSync(work, { recursive: true });
    stub = await startStubServer(text);
  }
  return stub.url;
}

// The two tools alternate within each iteration, so load changes on the shared machine hit both alike.
let recording = false;
describe.skipIf(!catalogPath || !haveCli)(
  `whole process against a stub server: 2,068 nodes${haveCli ? "" : " [skipped: run pnpm build first]"}`,
  () => {
    bench(
      `comfy-ts codegen --url (built CLI)${havePeer ? ", alternating with cfli codegen (@saintno/comfyui-sdk)" : " [peer skipped: not installed]"}`,
      async () => {
        const url = await stubUrl();
        const ours = await runProcess(
          "node",
          [cliBin, "codegen", "--url", url, "--out", join(work, "ours"), "--quiet"],
          work,
        );
        const peer = havePeer
          ? await runProcess("node", [peerCfli, "codegen", "-H", url, "-o", join(work, "peer.ts")], work)
          : undefined;
        if (!recording) return;
        log.add("comfy-ts codegen", ours);
        if (peer) log.add("cfli codegen", peer);
      },
      {
        iterations: 7,
        warmupIterations: 1,
        time: 0,
        setup: (_task, mode) => {
          recording = mode === "run";
        },
        teardown: (_task, mode) => (mode === "run" ? finishWholeProcess() : undefined),
      },
    );
  },
);

async function finishWholeProcess(): Promise<void> {
  await stub?.close();
  stub = undefined;
  rmSync(work, { recursive: true, force: true });
  const ratio = (field: "wall" | "cpu") => {
    const ours = log.median("comfy-ts codegen", field);
    const peer = log.median("cfli codegen", field);
    return ours !== undefined && peer !== undefined ? (ours / peer).toFixed(2) : "n/a";
  };
  publish(
    `${log.report("codegen, 2,068 nodes")}  comfy-ts / cfli: wall ${ratio("wall")}, cpu ${ratio("cpu")}\n`,
    reportFile,
  );
}

// A 9-line pipeline, typed through the generated module, and the same lines on untyped nodes.
const PIPELINE = (from: string) => `import { compile } from "@comfy-ts/core";
import { CheckpointLoaderSimple, CLIPTextEncode, EmptyLatentImage, KSampler, SaveImage, VAEDecode } from "${from}";
const ckpt = CheckpointLoaderSimple({ ckpt_name: "model.safetensors" });
const positive = CLIPTextEncode({ text: "a bottle on a table", clip: ckpt.CLIP });
const negative = CLIPTextEncode({ text: "", clip: ckpt.CLIP });
const latent = KSampler({ model: ckpt.MODEL, seed: 42, steps: 20, cfg: 7, sampler_name: "euler", scheduler: "normal", positive, negative, latent_image: EmptyLatentImage({}) });
const image = VAEDecode({ samples: latent, vae: ckpt.VAE });
export const prompt = compile({ out: SaveImage({ images: image }) });
`;
const UNTYPED = `import { node, type UntypedNode } from "@comfy-ts/core";
type Inputs = Readonly<Record<string, unknown>>;
type Any = UntypedNode & Record<string, any>;
export const CheckpointLoaderSimple = (i: Inputs) => node("CheckpointLoaderSimple", i) as Any;
export const CLIPTextEncode = (i: Inputs) => node("CLIPTextEncode", i) as Any;
export const EmptyLatentImage = (i: Inputs) => node("EmptyLatentImage", i) as Any;
export const KSampler = (i: Inputs) => node("KSampler", i) as Any;
export const VAEDecode = (i: Inputs) => node("VAEDecode", i) as Any;
export const SaveImage = (i: Inputs) => node("SaveImage", i, { outputNode: true }) as Any;
`;

const haveCoreTypes = existsSync(coreTypes);
// Inside the package so `@comfy-ts/core` resolves (to its built declarations); ignored by git.
const tscDir = join(repoRoot, "packages/codegen/.comfy-ts/bench-tsc");
let tscReady = false;

describe.skipIf(!catalogPath || !haveCoreTypes)(
  `tsc --noEmit of a 9-line pipeline: 2,068-node module${haveCoreTypes ? "" : " [skipped: run pnpm build first]"}`,
  () => {
    const setup = () => {
      if (tscReady) return;
      tscReady = true;
      rmSync(tscDir, { recursive: true, force: true });
      mkdirSync(join(tscDir, "generated"), { recursive: true });
      for (const [name, content] of generate(parseCatalogText(text)).files) {
        writeFileSync(join(tscDir, "generated", name), content);
      }
      writeFileSync(join(tscDir, "typed.ts"), PIPELINE("./generated/nodes.js"));
      writeFileSync(join(tscDir, "untyped-pipeline.ts"), PIPELINE("./untyped.js"));
      writeFileSync(join(tscDir, "untyped.ts"), UNTYPED);
      const config = (file: string) => ({
        compilerOptions: {
          target: "ES2023",
          lib: ["ES2023"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          noEmit: true,
          types: [],
        },
        files: [file],
      });
      writeFileSync(join(tscDir, "tsconfig.typed.json"), JSON.stringify(config("typed.ts")));
      writeFileSync(join(tscDir, "tsconfig.untyped.json"), JSON.stringify(config("untyped-pipeline.ts")));
    };

    bench(
      "tsc: pipeline on the generated 2,068-node module",
      async () => {
        setup();
        log.add(
          "tsc typed (generated module)",
          await runProcess("node", [tsc, "-p", "tsconfig.typed.json"], tscDir),
        );
      },
      ITER,
    );
    bench(
      "tsc: the same pipeline on untyped nodes",
      async () => {
        setup();
        log.add("tsc untyped", await runProcess("node", [tsc, "-p", "tsconfig.untyped.json"], tscDir));
      },
      {
        ...ITER,
        teardown: (_task, mode) =>
          mode === "run" ? publish(log.report("tsc --noEmit, 9-line pipeline"), reportFile) : undefined,
      },
    );
  },
);
