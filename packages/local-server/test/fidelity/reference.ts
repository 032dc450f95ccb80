import { readdirSync, readFileSync } from "node:fs";
import { runPython } from "@comfy-ts/test-support";
import { beforeAll, expect, it } from "vitest";
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
  /**
   * A second node fed with this node's first output as its input `input` — for what a graph passes on
   * besides values (torch's view layouts, which steer some kernels of the next node).
   */
  readonly followedBy?: {
    readonly node: string;
    readonly input: string;
    readonly inputs: Record<string, unknown>;
  };
}

/**
 * A node output as both sides report it: a tensor, a latent's entries, a list (list outputs and
 * list-valued latent entries such as `batch_index`) or a JSON literal.
 */
export type Value =
  | Tensor
  | { readonly latent: Record<string, Value> }
  | readonly Value[]
  | number
  | string
  | boolean
  | null;

/** What one side computed: its outputs, or the Python exception `Type: message`. */
export type CaseOutcome = { readonly outputs: Value[] } | { readonly error: string };

const referenceDir = new URL("./reference/", import.meta.url);
const BIGINT = "bigint\u2060:"; // a marker no test literal contains
/** The prelude, ComfyUI's helpers, every family's node bodies, then the runner: one script. */
const script = [
  "prelude.py",
  "comfy_utils.py",
  ...readdirSync(referenceDir)
    .filter((f) => f.endsWith(".py") && !["prelude.py", "comfy_utils.py", "runner.py"].includes(f))
    .sort(),
  "runner.py",
]
  .map((f) => readFileSync(new URL(f, referenceDir), "utf8"))
  .join("\n\n");

/**
 * Runs every case through ComfyUI's node bodies on the real torch / PIL in one Python process
 * (`reference/`), so a whole family costs one interpreter start. The answer also says which BLAS the
 * reference's torch is linked to (the recordings' torch used OpenBLAS).
 */
export function referenceRun(
  python: string,
  cases: readonly NodeCase[],
): { outcomes: CaseOutcome[]; blas: "openblas" | "reference" } {
  const parts: Float32Array[] = [];
  let offset = 0;
  const encode = (value: unknown): unknown => {
    if (isTensor(value)) {
      const spec = [[...value.shape], offset];
      parts.push(value.data);
      offset += value.data.byteLength;
      return { tensor: spec };
    }
    if (Array.isArray(value)) return { list: value.map(encode) };
    if (isEntries(value)) {
      return {
        latent: Object.fromEntries(
          Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, encode(v)]),
        ),
      };
    }
    return value;
  };
  const encodeInputs = (inputs: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, encode(value)]));
  const header = {
    cases: cases.map((c) => ({
      node: c.node,
      inputs: encodeInputs(c.inputs),
      ...(c.followedBy
        ? {
            followedBy: {
              node: c.followedBy.node,
              input: c.followedBy.input,
              inputs: encodeInputs(c.followedBy.inputs),
            },
          }
        : {}),
    })),
  };
  // JSON has no bigint: a 64-bit seed is written as its exact integer literal, which Python reads exactly.
  const head = Buffer.from(
    JSON.stringify(header, (_, v) => (typeof v === "bigint" ? `${BIGINT}${v}` : v)).replace(
      new RegExp(`"${BIGINT}(-?\\d+)"`, "g"),
      "$1",
    ),
  );
  const request = Buffer.concat([
    u32(head.length),
    head,
    ...parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)),
  ]);
  const answer = runPython(python, script, request);
  const length = answer.readUInt32LE(0);
  const { results, blas } = JSON.parse(answer.subarray(4, 4 + length).toString()) as {
    results: Array<{ outputs?: unknown[]; error?: string }>;
    blas: "openblas" | "reference";
  };
  const blob = answer.subarray(4 + length);
  const decode = (value: unknown): Value => {
    if (typeof value !== "object" || value === null) return value as Value;
    if ("tensor" in value) {
      const [shape, at] = value.tensor as [number[], number];
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n);
      Buffer.from(data.buffer).set(blob.subarray(at, at + n * 4));
      return tensor(shape, data);
    }
    if ("list" in value) return (value.list as unknown[]).map(decode);
    const entries = (value as { latent: Record<string, unknown> }).latent;
    return { latent: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, decode(v)])) };
  };
  const outcomes = results.map(
    (r): CaseOutcome =>
      r.error !== undefined ? { error: r.error } : { outputs: (r.outputs ?? []).map(decode) },
  );
  return { outcomes, blas };
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
    let result = await impl.execute(c.inputs, context);
    if (c.followedBy) {
      const next = nodeImpls.find((n) => n.classType === c.followedBy?.node);
      if (!next) throw new Error(`no node ${c.followedBy.node}`);
      result = await next.execute(
        { ...c.followedBy.inputs, [c.followedBy.input]: result.outputs?.[0] },
        context,
      );
    }
    return { outputs: (result.outputs ?? []).map(localValue) };
  } catch (e) {
    if (e instanceof NodeExecutionError) return { error: `${e.exceptionType}: ${e.message}` };
    // Errors that name the Python class they stand for reach clients as that class (ShapeError: RuntimeError).
    if (e instanceof Error && typeof (e as { pythonType?: unknown }).pythonType === "string")
      return { error: `${(e as Error & { pythonType: string }).pythonType}: ${e.message}` };
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

/** A JS node output in the shape the reference reports: latents and audios become their entries. */
function localValue(value: unknown): Value {
  if (isTensor(value)) return value;
  if (Array.isArray(value)) return value.map(localValue);
  if (isEntries(value)) {
    return {
      latent: Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, localValue(v)]),
      ),
    };
  }
  return value as Value;
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
    compareValue(`output ${i}`, local.outputs[i] as Value, expected, problems);
  }
  return problems.length ? problems.join("; ") : undefined;
}

function compareValue(at: string, actual: Value, expected: Value, problems: string[]): void {
  if (isTensor(expected)) {
    if (!isTensor(actual)) {
      problems.push(`${at}: ${JSON.stringify(actual)} instead of a tensor`);
      return;
    }
    const d = difference(actual, expected);
    if (d === "shape") problems.push(`${at}: shape [${actual.shape}] vs [${expected.shape}]`);
    else if (d.differing > 0) {
      const first = d.firstAt as number;
      problems.push(
        `${at}: ${d.differing}/${d.total} float32 samples differ (first at ${first}: ${actual.data[first]} vs ${expected.data[first]}), up to ${d.worstAbs.toExponential(2)}, ${d.worstByte} in 8 bits`,
      );
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      problems.push(`${at}: ${describe(actual)} vs a list of ${expected.length}`);
      return;
    }
    for (const [i, e] of expected.entries()) compareValue(`${at}[${i}]`, actual[i] as Value, e, problems);
    return;
  }
  if (typeof expected === "object" && expected !== null && "latent" in expected) {
    const a = typeof actual === "object" && actual !== null && "latent" in actual ? actual.latent : undefined;
    if (!a) {
      problems.push(`${at}: ${describe(actual)} instead of a latent`);
      return;
    }
    const keys = [...new Set([...Object.keys(a), ...Object.keys(expected.latent)])].sort();
    for (const k of keys) {
      if (!(k in a) || !(k in expected.latent)) problems.push(`${at}.${k}: ${k in a ? "extra" : "missing"}`);
      else compareValue(`${at}.${k}`, a[k] as Value, expected.latent[k] as Value, problems);
    }
    return;
  }
  if (!Object.is(actual, expected))
    problems.push(`${at}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
}

function describe(v: Value): string {
  if (isTensor(v)) return `a tensor [${v.shape}]`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return JSON.stringify(v);
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
/** A value both sides pass as a dict of entries: a latent, or an audio (`waveform`, `sample_rate`). */
function isEntries(v: unknown): v is Latent | Audio {
  return isLatent(v) || isAudio(v);
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

/**
 * One test per family: every case runs through the reference in one Python process (before the
 * tests), then on the local node; each family's test lists the cases whose outcomes differ. A family
 * whose cases all fail alike would prove little, so at least one case of each must produce outputs.
 * Families in `needsOpenBlas` compare kernels whose order comes from torch's BLAS: they are skipped,
 * saying so, where the reference torch is linked to another BLAS than the recordings' OpenBLAS.
 */
export function compareFamilies(
  python: string,
  families: Record<string, readonly NodeCase[]>,
  options: { needsOpenBlas?: readonly string[] } = {},
): void {
  const all = Object.values(families).flat();
  let reference: CaseOutcome[] = [];
  let blas = "openblas";
  beforeAll(() => {
    ({ outcomes: reference, blas } = referenceRun(python, all));
  }, 120_000);
  for (const [family, cases] of Object.entries(families)) {
    it(`${family}: ${cases.length} random cases`, async (ctx) => {
      if (blas !== "openblas" && options.needsOpenBlas?.includes(family)) {
        ctx.skip(
          `torch here uses the ${blas} BLAS, the recordings' used OpenBLAS (Debian: apt-get install python3-scipy)`,
        );
      }
      const failures: string[] = [];
      let succeeded = 0;
      for (const c of cases) {
        const expected = reference[all.indexOf(c)] as CaseOutcome;
        if ("outputs" in expected) succeeded++;
        const m = mismatch(await localOutcome(c), expected);
        if (m) failures.push(`${c.label}: ${m}`);
      }
      expect(failures, `${failures.length} of ${cases.length} cases differ`).toEqual([]);
      expect(succeeded, "cases the reference runs without an error").toBeGreaterThan(0);
    });
  }
}

/** Cases grouped into one family per node class. */
export function byNode(cases: readonly NodeCase[]): Record<string, NodeCase[]> {
  const families: Record<string, NodeCase[]> = {};
  for (const c of cases) {
    const family = families[c.node] ?? [];
    family.push(c);
    families[c.node] = family;
  }
  return families;
}
