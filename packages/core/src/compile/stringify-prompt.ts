import type { ApiPrompt } from "./api-prompt.js";

const MARK = "__comfy_ts_bigint__";
const MARKED = new RegExp(`"${MARK}(-?\\d+)"`, "g");

/**
 * `JSON.stringify` for prompts that may hold `bigint` values: they are written as exact digits
 * (a seed of 2^64−1 stays 18446744073709551615).
 */
export function stringifyPrompt(value: ApiPrompt | Record<string, unknown>, space?: number): string {
  let sawBigint = false;
  const json = JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item !== "bigint") return item;
      sawBigint = true;
      return `${MARK}${item}`;
    },
    space,
  );
  return sawBigint ? json.replace(MARKED, "$1") : json;
}
