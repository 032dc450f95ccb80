import { readFile } from "node:fs/promises";
import { CatalogError, type NodeCatalog, parseCatalogText } from "@comfy-ts/core/catalog";
import { CodegenError } from "./codegen-error.js";
import { type HttpAnswer, httpGet, NoAnswerError, seconds } from "./http-get.js";

/** Where a catalog comes from: a running server or a saved `/object_info` answer. */
export type CatalogSource =
  | { readonly kind: "file"; readonly path: string }
  | {
      readonly kind: "url";
      readonly url: string;
      /** Extra request headers (e.g. `Authorization`); never printed. */
      readonly headers?: Readonly<Record<string, string>>;
      /** Per request, in milliseconds (default 30 000). */
      readonly timeoutMs?: number;
      readonly signal?: AbortSignal;
    };

export interface LoadedCatalog {
  readonly catalog: NodeCatalog;
  /** The `/object_info` text as read (for `--save-catalog`). */
  readonly text: string;
  /** `system.comfyui_version` from `/system_stats`, when the source is a server that says it. */
  readonly comfyuiVersion: string | undefined;
}

/** Reads the catalog text (the first stage: the only one, with writing, that does I/O). */
export async function loadCatalog(source: CatalogSource): Promise<LoadedCatalog> {
  let text: string;
  let comfyuiVersion: string | undefined;
  let where: string;
  if (source.kind === "file") {
    where = source.path;
    try {
      text = await readFile(source.path, "utf8");
    } catch (error) {
      throw new CodegenError(
        "read_failed",
        `cannot read the catalog file ${source.path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  } else {
    where = `${trimSlash(source.url)}/object_info`;
    text = await fetchText(source, "/object_info");
    comfyuiVersion = await fetchVersion(source);
  }
  return { catalog: parseText(text, where), text, comfyuiVersion };
}

/** Parses catalog text, turning core's catalog errors into codegen errors that name the source. */
export function parseText(text: string, where: string): NodeCatalog {
  try {
    return parseCatalogText(text);
  } catch (error) {
    if (error instanceof CatalogError) {
      throw new CodegenError("bad_catalog", `${where}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

async function fetchText(source: Extract<CatalogSource, { kind: "url" }>, path: string): Promise<string> {
  const url = `${trimSlash(source.url)}${path}`;
  const timeoutMs = source.timeoutMs ?? 30_000;
  let answer: HttpAnswer;
  try {
    answer = await httpGet(url, source.headers ?? {}, timeoutMs, source.signal);
  } catch (error) {
    const reason =
      error instanceof NoAnswerError && error.timedOut
        ? `no answer within ${seconds(timeoutMs)} (raise --timeout SECONDS)`
        : (error as Error).message;
    throw new CodegenError(
      "unreachable",
      `cannot reach ${url}: ${reason}. Is ComfyUI running there? Check --url.`,
      { cause: error },
    );
  }
  if (answer.status < 200 || answer.status >= 300) {
    const hint =
      answer.status === 401 || answer.status === 403
        ? ' The server wants credentials: pass --header "Authorization: Bearer …" or COMFY_TS_AUTH_HEADER.'
        : "";
    throw new CodegenError(
      "http_error",
      `${url} answered HTTP ${answer.status} ${answer.statusText}: ${answer.body.slice(0, 200)}${hint}`,
    );
  }
  return answer.body;
}

async function fetchVersion(source: Extract<CatalogSource, { kind: "url" }>): Promise<string | undefined> {
  try {
    const stats = JSON.parse(await fetchText(source, "/system_stats")) as {
      system?: { comfyui_version?: unknown };
    };
    const version = stats.system?.comfyui_version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}
