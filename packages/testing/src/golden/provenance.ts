import type { ApiPrompt } from "@comfy-ts/core";
import type { EnvironmentInfo } from "./environment-key.js";

/**
 * Where an output came from. The fixture's runs attach it to every output they return, and
 * `toMatchGolden` writes it to the golden's sidecar when the golden is accepted — and compares it
 * with the sidecar when the golden no longer matches (what changed: the graph, or the server).
 */
export interface OutputProvenance {
  /** sha256 of the compiled prompt as submitted (`stringifyPrompt` form). */
  readonly promptHash?: string;
  /** The compiled prompt as submitted, seeds pinned (without the re-execution nonce). */
  readonly prompt?: ApiPrompt;
  /** The server's versions and device. */
  readonly environment?: EnvironmentInfo;
  /** Every pinned seed-like input: `"<node id>.<input>" → decimal digits`. */
  readonly seeds?: Readonly<Record<string, string>>;
  /** The server's environment key (see `environmentKey()`). */
  readonly environmentKey?: string;
  /** Node id and class of the output node that produced the image. */
  readonly nodeId?: string;
  readonly classType?: string;
  /** Nodes that ran, and nodes served from ComfyUI's cache, in that run. */
  readonly executedNodes?: readonly string[];
  readonly cachedNodes?: readonly string[];
}

/** The former name of `OutputProvenance`. */
export type ImageProvenance = OutputProvenance;

const provenance = new WeakMap<object, OutputProvenance>();

/** Attaches provenance to an output value (the bytes object, or the object holding them). */
export function attachProvenance<T extends object>(image: T, info: OutputProvenance): T {
  provenance.set(image, info);
  return image;
}

/** The provenance attached to an output value, if any. */
export function provenanceOf(image: unknown): OutputProvenance | undefined {
  return typeof image === "object" && image !== null ? provenance.get(image) : undefined;
}
