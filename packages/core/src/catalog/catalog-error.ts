import type { CatalogProblem } from "./types.js";

const BRAND = Symbol.for("comfy-ts.catalog-error");

/** Stable codes of `CatalogError`. */
export type CatalogErrorCode =
  /** The catalog text is not valid JSON. */
  | "invalid_json"
  /** The catalog is not a JSON object keyed by class_type. */
  | "not_an_object"
  /** No node of the catalog could be parsed. */
  | "no_nodes"
  /** A lookup asked for a class the catalog does not have. */
  | "unknown_node";

/** A whole catalog could not be used (single bad nodes are reported in `NodeCatalog.problems` instead). */
export class CatalogError extends Error {
  readonly code: CatalogErrorCode;
  /** Per-node problems found before giving up (for `no_nodes`). */
  readonly problems: readonly CatalogProblem[];

  constructor(
    code: CatalogErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly CatalogProblem[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CatalogError";
    this.code = code;
    this.problems = options?.problems ?? [];
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}
