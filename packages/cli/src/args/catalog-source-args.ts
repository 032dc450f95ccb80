import { resolve } from "node:path";
import type { CatalogSource } from "@comfy-ts/codegen";
import type { CommandIO } from "../command.js";
import { UsageError } from "../usage-error.js";
import { secondsOption } from "./seconds-option.js";

/** Per request to the server, when `--timeout` is not given. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

/** The flags of a catalog source, as `codegen`, `import`, `export` and `init` take them. */
export interface CatalogSourceFlags {
  readonly "object-info"?: string | undefined;
  readonly url?: string | undefined;
  readonly header?: readonly string[] | undefined;
  readonly timeout?: string | undefined;
}

/**
 * `--object-info FILE` or `--url URL` (with `--header`, also `COMFY_TS_AUTH_HEADER`, and
 * `--timeout SECONDS` per request); undefined when neither is given.
 */
export function catalogSourceArgs(values: CatalogSourceFlags, io: CommandIO): CatalogSource | undefined {
  if (values["object-info"] !== undefined && values.url !== undefined)
    throw new UsageError("give --object-info FILE or --url URL, not both");
  const timeoutMs =
    values.timeout === undefined
      ? DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000
      : secondsOption("--timeout", values.timeout, { wasMilliseconds: true });
  if (values.url !== undefined)
    return {
      kind: "url",
      url: values.url,
      headers: requestHeaders(values.header, io),
      timeoutMs,
      signal: io.signal,
    };
  if (values["object-info"] !== undefined)
    return { kind: "file", path: resolve(io.cwd, values["object-info"]) };
  return undefined;
}

/** `--header "Name: value"` flags after `COMFY_TS_AUTH_HEADER`; values are never shown in messages. */
export function requestHeaders(flags: readonly string[] | undefined, io: CommandIO): Record<string, string> {
  const headers: Record<string, string> = {};
  const fromEnv = io.env["COMFY_TS_AUTH_HEADER"];
  for (const text of [...(fromEnv ? [fromEnv] : []), ...(flags ?? [])]) {
    const colon = text.indexOf(":");
    if (colon <= 0)
      throw new UsageError('--header must look like "Name: value" (the value is not shown here)');
    headers[text.slice(0, colon).trim()] = text.slice(colon + 1).trim();
  }
  return headers;
}
