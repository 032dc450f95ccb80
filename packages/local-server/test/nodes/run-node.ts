import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NodeContext, NodeImpl, NodeResult } from "../../src/execution/node-impl.js";
import { NodeRegistry } from "../../src/execution/node-registry.js";
import { listedOnlyNodes, nodeImpls } from "../../src/nodes/index.js";
import { type Tensor, tensor } from "../../src/tensor/tensor.js";

/** The runnable node of a class. */
export function impl(classType: string): NodeImpl {
  const found = nodeImpls.find((n) => n.classType === classType);
  if (!found) throw new Error(`no node ${classType}`);
  return found;
}

export interface TestContext extends NodeContext {
  readonly texts: string[];
  readonly previews: Uint8Array[];
  readonly progressCalls: Array<[number, number]>;
}

const catalog = new NodeRegistry(nodeImpls, listedOnlyNodes).catalog({ inputFiles: () => [] });

/** A NodeContext over fresh temporary folders that records what the node reports. */
export function testContext(overrides: Partial<NodeContext> = {}): TestContext {
  const base = mkdtempSync(join(tmpdir(), "comfy-ts-node-"));
  const texts: string[] = [];
  const previews: Uint8Array[] = [];
  const progressCalls: Array<[number, number]> = [];
  return {
    nodeId: "1",
    promptId: "p",
    prompt: { "1": { class_type: "X", inputs: {} } },
    catalog,
    extraPngInfo: undefined,
    dirs: { input: join(base, "input"), output: join(base, "output"), temp: join(base, "temp") },
    progress: (v, m, preview) => {
      progressCalls.push([v, m]);
      if (preview) previews.push(preview.bytes);
    },
    progressText: (t) => texts.push(t),
    previewImage: (png) => previews.push(png),
    throwIfInterrupted: () => {},
    clientId: null,
    ...overrides,
    texts,
    previews,
    progressCalls,
  } as TestContext;
}

/** Runs a node once and returns its outputs. */
export async function run(
  classType: string,
  inputs: Record<string, unknown>,
  ctx: NodeContext = testContext(),
): Promise<NodeResult> {
  return impl(classType).execute(inputs, ctx);
}

/** The first output of a node. */
export async function first<T = unknown>(classType: string, inputs: Record<string, unknown>): Promise<T> {
  return (await run(classType, inputs)).outputs?.[0] as T;
}

/** An NHWC image from nested rows of [r, g, b] (batch 1). */
export function img(rows: number[][][]): Tensor {
  const h = rows.length;
  const w = rows[0]?.length ?? 0;
  const c = rows[0]?.[0]?.length ?? 3;
  return tensor([1, h, w, c], Float32Array.from(rows.flat(2)));
}

/** A mask [1, H, W] from rows. */
export function mask(rows: number[][]): Tensor {
  return tensor([1, rows.length, rows[0]?.length ?? 0], Float32Array.from(rows.flat()));
}

/** Rows of a [1, H, W] mask or one channel of an NHWC image, as plain numbers. */
export function rowsOf(t: Tensor, channel?: number): number[][] {
  const h = t.shape[1] as number;
  const w = t.shape[2] as number;
  const c = channel === undefined ? 1 : (t.shape[3] as number);
  return Array.from({ length: h }, (_, y) =>
    Array.from({ length: w }, (_, x) => t.data[(y * w + x) * c + (channel ?? 0)] as number),
  );
}
