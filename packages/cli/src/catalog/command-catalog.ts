import { type CatalogSource, type LoadedCatalog, loadCatalog } from "@comfy-ts/codegen";
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, requestHeaders } from "../args/catalog-source-args.js";
import type { CommandIO } from "../command.js";
import { UsageError } from "../usage-error.js";

/** A catalog source of the command line: codegen's (a file, a server) or the embedded local server. */
export type CommandCatalogSource = CatalogSource | { readonly kind: "local" };

/** A catalog a command read, and where from (for its messages). */
export interface CommandCatalog extends LoadedCatalog {
  /** True when it is the embedded local server's catalog. */
  readonly embedded: boolean;
}

/** Reads the catalog of `source`; `{ kind: "local" }` starts the embedded local server for it. */
export async function loadCommandCatalog(
  source: CommandCatalogSource,
  signal: AbortSignal,
): Promise<CommandCatalog> {
  if (source.kind !== "local") return { ...(await loadCatalog(source)), embedded: false };
  // Loaded only here: the local server (and its codecs) costs every other codegen run nothing.
  const { startLocalServer } = await import("@comfy-ts/local-server");
  const local = await startLocalServer();
  try {
    return { ...(await loadCatalog({ kind: "url", url: local.url, signal })), embedded: true };
  } finally {
    await local.close();
  }
}

/**
 * The node catalog a command works with: the `--object-info` / `--url` source when one was given,
 * else the server `COMFYUI_URL` names (the first of a pool, as `comfy-ts run` picks it), else the
 * embedded local server's (ComfyUI's core nodes) — the same default `run` and the test harness
 * have. `note` is told where a default catalog came from.
 */
export async function commandCatalog(
  source: CatalogSource | undefined,
  io: CommandIO,
  note: (line: string) => void,
): Promise<CommandCatalog> {
  if (source) return loadCommandCatalog(source, io.signal);
  const { parseServerUrls } = await import("@comfy-ts/testing/node");
  let url: string | undefined;
  try {
    url = parseServerUrls(io.env["COMFYUI_URL"])[0];
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (url !== undefined) {
    note(`no --object-info or --url: using the catalog of COMFYUI_URL (${url})`);
    return loadCommandCatalog(
      {
        kind: "url",
        url,
        headers: requestHeaders(undefined, io),
        timeoutMs: DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000,
        signal: io.signal,
      },
      io.signal,
    );
  }
  note("no --object-info, --url or COMFYUI_URL: using the catalog of the embedded local server");
  return loadCommandCatalog({ kind: "local" }, io.signal);
}
