import type { ComfyClient } from "./comfy-client.js";
import type { JobTracker } from "./job-tracker.js";
import type { HistoryEntry } from "./schemas.js";

/** One output file of a job, with its bytes. */
export interface OutputFile {
  readonly nodeId: string;
  /** The UI key it was listed under: `images`, `audio`, `gifs`, … */
  readonly key: string;
  /** Position in that list. */
  readonly index: number;
  readonly filename: string;
  readonly subfolder: string;
  /** `output` or `temp`. */
  readonly type: string;
  /** MIME type guessed from the extension. */
  readonly mimeType: string;
  /** The file content; undefined when not downloaded (`download` option). */
  readonly bytes: Uint8Array | undefined;
}

export interface OutputText {
  readonly nodeId: string;
  readonly key: string;
  readonly index: number;
  readonly text: string;
}

/** The `data` of the first `[event, data]` history message of that type. */
export function messageData(entry: HistoryEntry, type: string): Record<string, unknown> | undefined {
  const found = entry.status?.messages.find(([name]) => name === type);
  const data = found?.[1];
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : undefined;
}

const MIME: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  mp4: "video/mp4",
  webm: "video/webm",
  flac: "audio/flac",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  opus: "audio/opus",
  ogg: "audio/ogg",
  glb: "model/gltf-binary",
  svg: "image/svg+xml",
  json: "application/json",
  latent: "application/octet-stream",
};

export function mimeOf(filename: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return (ext && MIME[ext]) ?? "application/octet-stream";
}

function isFileRef(value: unknown): value is { filename: string; subfolder?: unknown; type?: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { filename?: unknown }).filename === "string"
  );
}

export type FileRefOf = Omit<OutputFile, "bytes">;
export type DownloadFilter = boolean | ((file: FileRefOf) => boolean);

/** The files and texts listed in UI dicts keyed by node id (history `outputs`, or `executed` events). */
export function listOutputs(uiByNode: Readonly<Record<string, Record<string, unknown> | null | undefined>>): {
  refs: FileRefOf[];
  texts: OutputText[];
  outputs: Record<string, Record<string, unknown>>;
} {
  const refs: FileRefOf[] = [];
  const texts: OutputText[] = [];
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const nodeId of Object.keys(uiByNode).sort(compareIds)) {
    const ui = uiByNode[nodeId];
    if (!ui) continue;
    outputs[nodeId] = ui;
    for (const [key, list] of Object.entries(ui)) {
      if (!Array.isArray(list)) continue;
      list.forEach((item, index) => {
        if (key === "text" && typeof item === "string") texts.push({ nodeId, key, index, text: item });
        else if (isFileRef(item)) {
          refs.push({
            nodeId,
            key,
            index,
            filename: item.filename,
            subfolder: typeof item.subfolder === "string" ? item.subfolder : "",
            type: typeof item.type === "string" ? item.type : "output",
            mimeType: mimeOf(item.filename),
          });
        }
      });
    }
  }
  return { refs, texts, outputs };
}

/** Where a file is on the server; the key of prefetched downloads. */
export const fileKey = (ref: Pick<OutputFile, "type" | "subfolder" | "filename">) =>
  `${ref.type}\u0000${ref.subfolder}\u0000${ref.filename}`;

/** Downloads started before `/history` answered (from the socket's `executed` events). */
export type Prefetched = ReadonlyMap<string, Promise<Uint8Array>>;

/**
 * Starts downloading files as the socket reported them, so `/history` and `/view` overlap. Failures
 * are kept in the promises (awaited later only if history lists the file).
 */
export function prefetchFiles(
  client: ComfyClient,
  refs: readonly FileRefOf[],
  options: { download: DownloadFilter; promptId: string; signal?: AbortSignal },
): Prefetched {
  const map = new Map<string, Promise<Uint8Array>>();
  for (const ref of refs) {
    if (!wantedBy(options.download, ref) || map.has(fileKey(ref))) continue;
    const promise = client.view({
      filename: ref.filename,
      subfolder: ref.subfolder,
      type: ref.type,
      promptId: options.promptId,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    promise.catch(() => undefined);
    map.set(fileKey(ref), promise);
  }
  return map;
}

function wantedBy(download: DownloadFilter, ref: FileRefOf): boolean {
  return typeof download === "function" ? download(ref) : download;
}

/** Files and texts of UI dicts by node id; files are downloaded through `/view` (4 at a time). */
export async function collectOutputs(
  client: ComfyClient,
  uiByNode: Readonly<Record<string, Record<string, unknown> | null | undefined>>,
  options: {
    download: DownloadFilter;
    promptId: string;
    prefetched?: Prefetched;
    signal?: AbortSignal;
  },
): Promise<{
  files: OutputFile[];
  images: OutputFile[];
  texts: OutputText[];
  outputs: Record<string, Record<string, unknown>>;
}> {
  const { refs, texts, outputs } = listOutputs(uiByNode);
  const files: OutputFile[] = new Array(refs.length);
  let next = 0;
  const worker = async () => {
    while (next < refs.length) {
      const i = next++;
      const ref = refs[i]!;
      let bytes: Uint8Array | undefined;
      if (wantedBy(options.download, ref)) {
        bytes = await (options.prefetched?.get(fileKey(ref)) ??
          client.view({
            filename: ref.filename,
            subfolder: ref.subfolder,
            type: ref.type,
            promptId: options.promptId,
            ...(options.signal ? { signal: options.signal } : {}),
          }));
      }
      files[i] = { ...ref, bytes };
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, refs.length) }, worker));
  return { files, images: files.filter((f) => f.key === "images"), texts, outputs };
}

/** Numeric ids in number order, others after in code-unit order. */
export function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : Number.NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Which nodes ran and which came from cache. From the socket when it saw the whole job; otherwise
 * from `/history`: cached = `execution_cached.nodes`, executed = the ancestors of the executed outputs
 * that were not cached. Both give the same answer for ordinary graphs.
 */
export function deriveNodeStatus(
  entry: HistoryEntry,
  tracker: Pick<JobTracker, "gap" | "executed" | "cached" | "started">,
): {
  nodes: Record<string, "executed" | "cached">;
  executedNodes: string[];
  cachedNodes: string[];
  allCached: boolean;
} {
  const cachedData = messageData(entry, "execution_cached");
  const cachedList = Array.isArray(cachedData?.["nodes"])
    ? (cachedData["nodes"] as unknown[]).map(String)
    : [...tracker.cached];
  const cached = new Set(cachedList);
  let executed: string[];
  if (!tracker.gap && tracker.started) {
    executed = tracker.executed.filter((id) => !cached.has(id));
  } else {
    const prompt = entry.prompt[2] as Record<string, { inputs?: Record<string, unknown> }>;
    const roots = entry.prompt[4].map(String);
    executed = [...ancestors(prompt, roots)].filter((id) => !cached.has(id));
  }
  return nodeStatus(executed, cached);
}

/** Node status from a job the socket saw whole (no gap): what ran, what came from cache. */
export function statusFromSocket(tracker: Pick<JobTracker, "executed" | "cached">): {
  nodes: Record<string, "executed" | "cached">;
  executedNodes: string[];
  cachedNodes: string[];
  allCached: boolean;
} {
  const cached = new Set(tracker.cached);
  return nodeStatus(
    tracker.executed.filter((id) => !cached.has(id)),
    cached,
  );
}

/** The sorted, deduplicated status lists of nodes that ran (`executed`) and came from cache. */
function nodeStatus(executed: readonly string[], cached: ReadonlySet<string>) {
  const executedNodes = [...new Set(executed)].sort(compareIds);
  const cachedNodes = [...cached].sort(compareIds);
  const nodes: Record<string, "executed" | "cached"> = {};
  for (const id of cachedNodes) nodes[id] = "cached";
  for (const id of executedNodes) nodes[id] = "executed";
  return { nodes, executedNodes, cachedNodes, allCached: executedNodes.length === 0 };
}

function ancestors(
  prompt: Record<string, { inputs?: Record<string, unknown> }>,
  roots: string[],
): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id) || !prompt[id]) continue;
    seen.add(id);
    for (const value of Object.values(prompt[id].inputs ?? {})) {
      if (
        Array.isArray(value) &&
        value.length === 2 &&
        (typeof value[0] === "string" || typeof value[0] === "number")
      ) {
        stack.push(String(value[0]));
      }
    }
  }
  return seen;
}
