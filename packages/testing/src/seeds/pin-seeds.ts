import type { ApiPrompt } from "@comfy-ts/core";
import { GoldenUsageError } from "../errors.js";
import { findSeedInputs, type RawObjectInfo } from "./seed-inputs.js";

/** A seed value: INT inputs go up to 2^64 − 1, so `bigint` is accepted. */
export type SeedValue = bigint | number;

/**
 * Which seeds to pin: one value for every seed-like input, or values by `"<node id>.<input>"` or by
 * `"<node id>"` (all seed inputs of that node).
 */
export type SeedSpec = SeedValue | Readonly<Record<string, SeedValue>>;

/** The prompt with its seeds pinned, and every seed it now carries (`"<id>.<input>"` → digits). */
export interface PinnedSeeds {
  readonly prompt: ApiPrompt;
  readonly seeds: Readonly<Record<string, string>>;
}

const U64_MAX = 2n ** 64n - 1n;

function checkSeed(key: string, value: SeedValue): SeedValue {
  const big = typeof value === "bigint" ? value : Number.isInteger(value) ? BigInt(value) : undefined;
  if (big === undefined || big < 0n || big > U64_MAX) {
    throw new GoldenUsageError(`seed ${key} must be an integer between 0 and 2^64 − 1, got ${String(value)}`);
  }
  return value;
}

/**
 * Pins every seed-like input of a prompt (see `findSeedInputs`). Linked seeds (a seed from a
 * primitive or a random node) are replaced by the literal, so nothing upstream can change them.
 * Keys of a map that match no seed input are an error (a typo would silently pin nothing).
 *
 * @example
 * pinSeeds(prompt, 42n).seeds;             // { "3.seed": "42" }
 * pinSeeds(prompt, { "3.seed": 7 }).prompt; // node 3's seed is 7, other seeds unchanged
 */
export function pinSeeds(prompt: ApiPrompt, spec: SeedSpec, objectInfo?: RawObjectInfo): PinnedSeeds {
  const inputs = findSeedInputs(prompt, objectInfo);
  const out: ApiPrompt = {};
  for (const [id, node] of Object.entries(prompt)) out[id] = { ...node, inputs: { ...node.inputs } };
  const used = new Set<string>();
  const seeds: Record<string, string> = {};
  for (const seed of inputs) {
    const key = `${seed.nodeId}.${seed.input}`;
    let value: SeedValue | undefined;
    if (typeof spec === "bigint" || typeof spec === "number") value = spec;
    else if (key in spec) {
      value = spec[key];
      used.add(key);
    } else if (seed.nodeId in spec) {
      value = spec[seed.nodeId];
      used.add(seed.nodeId);
    }
    if (value !== undefined) {
      out[seed.nodeId]!.inputs[seed.input] = checkSeed(key, value);
      seeds[key] = String(value);
    } else if (seed.value !== undefined) {
      seeds[key] = String(seed.value);
    }
  }
  if (typeof spec === "object") {
    const unknown = Object.keys(spec).filter((key) => !used.has(key));
    if (unknown.length > 0) {
      const known = inputs.map((s) => `${s.nodeId}.${s.input}`).join(", ") || "none";
      throw new GoldenUsageError(
        `seed keys ${unknown.join(", ")} match no seed-like input (seed inputs: ${known})`,
      );
    }
  }
  return { prompt: out, seeds };
}
