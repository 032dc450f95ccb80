import { stringifyJsonLossless } from "../catalog/lossless-json.js";
import type { ApiPrompt } from "./api-prompt.js";

/**
 * `JSON.stringify` for prompts that may hold `bigint` values: they are written as exact digits
 * (a seed of 2^64−1 stays 18446744073709551615). User strings are never mistaken for numbers.
 */
export function stringifyPrompt(value: ApiPrompt | Record<string, unknown>, space?: number): string {
  return stringifyJsonLossless(value, space);
}
