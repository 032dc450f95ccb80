import { readFileSync } from "node:fs";
import { runPython } from "@comfy-ts/test-support";
import type { NodeContext } from "../../src/execution/node-impl.js";
import { NodeExecutionError } from "../../src/execution/node-impl.js";
import { NodeRegistry } from "../../src/execution/node-registry.js";
import { listedOnlyNodes, nodeImpls } from "../../src/nodes/index.js";
import type { Audio, Latent } from "../../src/nodes/socket-types.js";
import { type Tensor, tensor } from "../../src/tensor/tensor.js";

/** Python modules the reference runner imports. */
export const REFERENCE_MODULES = ["torch", "PIL", "numpy"] as const;

/** One node call: class type and inputs (tensors, latents `{ samples }`, literals). */
export interface NodeCase {
  readonly node: string;
  readonly inputs: Record<string, unknown>;
  /** What the case varies, for failure messages. */
  readonly label: string;
}

/** What one side computed: output tensors, or the Python exception `Type: message`. */
export type CaseOutcome = { readonly outputs: Tensor[] } | { readonly error: string };

const script = readFileSync(new URL("./reference.py", import.meta.url), "utf8");

/**
 * Runs every case through ComfyUI's node bodies on the real torch / PIL in one Python process
 * (`reference.py`), so a whole family costs one interpreter start.
 */
export function referenceOutcomes(python: string, cases: readonly NodeCase[]): CaseOutcome[] {
  const parts: Float32Array[] = [];
  let offset = 0;
  const encode = (t: Tensor): [number[], number] => {
    const spec: [number[], number] = [[...t.shape], offset];
    parts.push(t.data);
    offset += t.data.byteLength;
    return spec;
  };
  const header = {
    cases: cases.map((c) => ({
      node: c.node,
      inputs: Object.fromEntries(
        Object.entries(c.inputs).map(([name, value]) => {
          if (isTensor(value)) return [name, { tensor: encode(value) }];
          if (isLatent(value)) return [name, { latent: encode(value.samples) }];
          if (isAudio(value))
            return [name, { audio: encode(value.waveform), sample_rate: value.sample_rate }];
          return [name, value];
        }),
      ),
    })),
  };
  const head = Buffer.from(JSON.stringify(header));
  const request = Buffer.concat([
    u32(head.length),
    head,
    ...parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)),
  ]);
  const answer = runPython(python, script, request);
  const length = answer.readUInt32LE(0);
  const { results } = JSON.parse(answer.subarray(4, 4 + length).toString()) as {
    results: Array<{ outputs?: Array<[number[], number]>; error?: string }>;
  };
  const blob = answer.subarray(4 + length);
  return results.map((r) => {
    if (r.error !== undefined) return { error: r.error };
    return {
      outputs: (r.outputs ?? []).map(([shape, at]) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = new Float32Array(n);
        Buffer.from(data.buffer).set(blob.subarray(at, at + n * 4));
        return tensor(shape, data);
      }),
    };
  });
}

const context: NodeContext = {
  nodeId: "1",
  promptId: "fidelity",
  prompt: {},
  catalog: new NodeRegistry(nodeImpls, listedOnlyNodes).catalog({ inputFiles: () => [] }),
  extraPngInfo: undefined,
  dirs: { input: "", output: "", temp: "" },
  clientId: null,
  progress: () => {},
  progressText: () => {},
  previewImage: () => {},
  throwIfInterrupted: () => {},
};

/** Runs a case on the local server's node implementation. */
export async function localOutcome(c: NodeCase): Promise<CaseOutcome> {
  const impl = nodeImpls.find((n) => n.classType === c.node);
  if (!impl) throw new Error(`no node ${c.node}`);
  try {
    const result = await impl.execute(c.inputs, context);
    return {
      // An AUDIO output is compared as its waveform and its rate (as a one-value tensor), as reference.py answers.
      outputs: (result.outputs ?? []).flatMap((o) =>
        isAudio(o)
          ? [o.waveform, tensor([1], Float32Array.of(o.sample_rate))]
          : [isLatent(o) ? o.samples : (o as Tensor)],
      ),
    };
  } catch (e) {
    if (e instanceof NodeExecutionError) return { error: `${e.exceptionType}: ${e.message}` };
    throw e;
  }
}

/** How far one tensor is from the reference: float32 samples that differ, and by how much once saved as 8 bits. */
export interface Difference {
  readonly differing: number;
  readonly total: number;
  readonly worstAbs: number;
  /** Largest difference of `clip(255 * x)` truncated to a byte, as SaveImage writes it. */
  readonly worstByte: number;
  readonly firstAt?: number;
}

export function difference(actual: Tensor, expected: Tensor): Difference | "shape" {
  if (actual.shape.join() !== expected.shape.join()) return "shape";
  let differing = 0;
  let worstAbs = 0;
  let worstByte = 0;
  let firstAt: number | undefined;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i] as number;
    const e = expected.data[i] as number;
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (a === e) continue; // +0 / -0
    differing++;
    firstAt ??= i;
    worstAbs = Math.max(worstAbs, Math.abs(a - e));
    worstByte = Math.max(worstByte, Math.abs(toByte(a) - toByte(e)));
  }
  return {
    differing,
    total: expected.data.length,
    worstAbs,
    worstByte,
    ...(firstAt === undefined ? {} : { firstAt }),
  };
}

function toByte(v: number): number {
  const x = Math.fround(255 * v);
  return x > 0 ? (x < 255 ? Math.trunc(x) : 255) : 0;
}

/** A description of how the local outcome differs from the reference, or undefined when identical. */
export function mismatch(local: CaseOutcome, reference: CaseOutcome): string | undefined {
  if ("error" in reference || "error" in local) {
    const l = "error" in local ? local.error : "no error";
    const r = "error" in reference ? reference.error : "no error";
    return l === r ? undefined : `local ${l} / reference ${r}`;
  }
  if (local.outputs.length !== reference.outputs.length) {
    return `${local.outputs.length} outputs, reference has ${reference.outputs.length}`;
  }
  const problems: string[] = [];
  for (const [i, expected] of reference.outputs.entries()) {
    const actual = local.outputs[i] as Tensor;
    const d = difference(actual, expected);
    if (d === "shape") problems.push(`output ${i}: shape [${actual.shape}] vs [${expected.shape}]`);
    else if (d.differing > 0) {
      const at = d.firstAt as number;
      problems.push(
        `output ${i}: ${d.differing}/${d.total} float32 samples differ (first at ${at}: ${actual.data[at]} vs ${expected.data[at]}), up to ${d.worstAbs.toExponential(2)}, ${d.worstByte} in 8 bits`,
      );
    }
  }
  return problems.length ? problems.join("; ") : undefined;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && "data" in v && (v as Tensor).data instanceof Float32Array;
}
function isLatent(v: unknown): v is Latent {
  return typeof v === "object" && v !== null && "samples" in v && isTensor((v as Latent).samples);
}
function isAudio(v: unknown): v is Audio {
  return typeof v === "object" && v !== null && "waveform" in v && isTensor((v as Audio).waveform);
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** Deterministic random numbers (mulberry32) so every run checks the same cases. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kinds of test content: real images are 8-bit values (k/255); intermediate results are any float. */
export type Content = "bytes" | "float" | "ramp" | "flat";

/** A tensor of `shape` filled with `content` from `random`. */
export function randomTensor(shape: readonly number[], content: Content, random: () => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const last = shape[shape.length - 1] ?? 1;
  const flat = random();
  for (let i = 0; i < n; i++) {
    if (content === "bytes") data[i] = Math.floor(random() * 256) / 255;
    else if (content === "float") data[i] = random();
    else if (content === "ramp") data[i] = Math.floor((i / last) % 256) / 255;
    else data[i] = flat;
  }
  return tensor(shape, data);
}

/** A random integer in [lo, hi]. */
export function randInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
