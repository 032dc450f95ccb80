import { ComfyError } from "../errors.js";
import type { CatalogProblem } from "./types.js";

/** Stable codes of `CatalogError`. */
export type CatalogErrorCode =
  /** The catalog text is not valid JSON. */
  | "invalid_json"
  /** The catalog is not a JSON object keyed by class_type. */
  | "not_an_object"
  /** No node of the catalog could be parsed. */
  | "no_nodes"
  /** A lookup asked for a class the catalog does not have. */
  | "unknown_node"
  /** A function was given something else than a `NodeCatalog` (e.g. the raw `/object_info` object). */
  | "not_a_catalog";

/** A whole catalog could not be used (single bad nodes are reported in `NodeCatalog.problems` instead). */
export class CatalogError extends ComfyError {
  declare readonly code: CatalogErrorCode;
  /** Per-node problems found before giving up (for `no_nodes`). */
  readonly problems: readonly CatalogProblem[];

  constructor(
    code: CatalogErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly CatalogProblem[] },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options?.problems ?? [];
  }
}
