import { type CatalogSource, type LoadedCatalog, loadCatalog } from "@comfy-ts/codegen";
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, requestHeaders } from "../args/catalog-source-args.js";
import type { CommandIO } from "../command.js";
import { UsageError } from "../usage-error.js";

/** A catalog a command read, and where from (for its messages). */
export interface CommandCatalog extends LoadedCatalog {
  /** `object_info.json`, `http://gpu:8188`, or "the embedded local server". */
  readonly from: string;
  /** True when no source was given and the embedded local server's catalog was used. */
  readonly embedded: boolean;
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
  if (source) {
    const from = source.kind === "file" ? source.path : source.url;
    return { ...(await loadCatalog(source)), from, embedded: false };
  }
  const { parseServerUrls } = await import("@comfy-ts/testing/node");
  let url: string | undefined;
  try {
    url = parseServerUrls(io.env["COMFYUI_URL"])[0];
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (url !== undefined) {
    note(`no --object-info or --url: using the catalog of COMFYUI_URL (${url})`);
    const loaded = await loadCatalog({
      kind: "url",
      url,
      headers: requestHeaders(undefined, io),
      timeoutMs: DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000,
      signal: io.signal,
    });
    return { ...loaded, from: url, embedded: false };
  }
  const { startLocalServer } = await import("@comfy-ts/local-server");
  const local = await startLocalServer();
  try {
    note("no --object-info, --url or COMFYUI_URL: using the catalog of the embedded local server");
    const loaded = await loadCatalog({ kind: "url", url: local.url, signal: io.signal });
    return { ...loaded, from: "the embedded local server", embedded: true };
  } finally {
    await local.close();
  }
}
