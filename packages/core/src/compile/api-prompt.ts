/**
 * ComfyUI's API prompt format (the body of `POST /prompt` under `prompt`).
 * Keys are node ids (strings); values name a node class and its inputs.
 */
export type ApiPrompt = Record<string, ApiNode>;

export interface ApiNode {
  class_type: string;
  inputs: Record<string, ApiInputValue>;
  _meta?: { title?: string; [key: string]: unknown };
  /** Server-written cache hint; present in prompts extracted from PNGs. Strip before resubmitting. */
  is_changed?: unknown;
  [key: string]: unknown;
}

/** A link to output `index` of node `id`. Any JSON array in `inputs` is read as a link by ComfyUI. */
export type ApiLink = [id: string, index: number];

/** A literal list value; ComfyUI unwraps `{"__value__": [...]}`. */
export interface ApiListLiteral {
  __value__: unknown[];
}

/**
 * A literal or a link. INT values beyond 2^53 are carried as `bigint` in memory and written as exact
 * JSON digits by `stringifyPrompt()`.
 */
export type ApiInputValue =
  | ApiLink
  | ApiListLiteral
  | string
  | number
  | bigint
  | boolean
  | null
  | Record<string, unknown>;

export function isApiLink(value: unknown): value is ApiLink {
  return (
    Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "number"
  );
}
