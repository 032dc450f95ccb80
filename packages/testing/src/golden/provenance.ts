/**
 * Where an output image came from. The fixture's runs attach it to every image they return, and
 * `toMatchGolden` writes it to the golden's sidecar when the golden is accepted.
 */
export interface ImageProvenance {
  /** sha256 of the compiled prompt as submitted (`stringifyPrompt` form). */
  readonly promptHash?: string;
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

const provenance = new WeakMap<object, ImageProvenance>();

/** Attaches provenance to an image value (the bytes object, or the object holding them). */
export function attachProvenance<T extends object>(image: T, info: ImageProvenance): T {
  provenance.set(image, info);
  return image;
}

/** The provenance attached to an image value, if any. */
export function provenanceOf(image: unknown): ImageProvenance | undefined {
  return typeof image === "object" && image !== null ? provenance.get(image) : undefined;
}
