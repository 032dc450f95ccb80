import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";

/**
 * Node classes this server does not implement; cases that use them are reported as visible skips, not
 * failures. (None are left among the recorded cases.)
 */
export const UNSUPPORTED_NODES: ReadonlySet<string> = new Set<string>([]);

/** One recorded case of `../shared/fixtures/reference-outputs/{cases,errors}/<name>/`. */
export interface ReferenceCase {
  readonly name: string;
  readonly dir: string;
  readonly group: "cases" | "errors";
  readonly meta: Record<string, unknown> & {
    client_id: string;
    prompt_id: string;
    seconds?: number;
    node_types?: string[];
  };
  /** The exact POST /prompt body text (big integers intact). */
  readonly promptText: string;
  readonly prompt: {
    client_id: string;
    prompt_id: string;
    prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  };
  readonly response: { status: number; body: unknown };
  /** Recorded WebSocket frames (text frames as `{type, data}`, binary as `{binary, bytes, head}`). */
  readonly ws: RecordedFrame[];
  readonly history: Record<string, unknown> | undefined;
}

export type RecordedFrame =
  | { type: string; data: Record<string, unknown> }
  | { binary: true; bytes: number; head: string };

/** Every case folder of the reference corpus, sorted by name. */
export function listReferenceCases(root: string): ReferenceCase[] {
  const out: ReferenceCase[] = [];
  for (const group of ["cases", "errors"] as const) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      if (!existsSync(join(dir, "prompt.json"))) continue;
      const read = (file: string) => readFileSync(join(dir, file), "utf8");
      const promptText = read("prompt.json");
      out.push({
        name,
        dir,
        group,
        meta: JSON.parse(read("meta.json")),
        promptText,
        prompt: JSON.parse(promptText),
        response: JSON.parse(read("response.json")),
        ws: existsSync(join(dir, "ws.jsonl"))
          ? read("ws.jsonl")
              .split("\n")
              .filter((l) => l.trim() !== "")
              .map((l) => JSON.parse(l))
          : [],
        history: existsSync(join(dir, "history.json")) ? JSON.parse(read("history.json")) : undefined,
      });
    }
  }
  return out;
}

/** Uploads the corpus inputs the way they were recorded (`type=input`, `overwrite=true`). */
export async function uploadReferenceInputs(serverUrl: string, inputsDir: string): Promise<void> {
  for (const file of readdirSync(inputsDir).sort()) {
    if (file.endsWith(".json")) continue;
    const form = new FormData();
    form.set("image", new Blob([readFileSync(join(inputsDir, file))]), file);
    form.set("type", "input");
    form.set("overwrite", "true");
    const res = await fetch(`${serverUrl}/upload/image`, { method: "POST", body: form });
    if (res.status !== 200) throw new Error(`uploading ${file} answered ${res.status}`);
  }
}

/** What running a case on a server gave. */
export interface CaseRun {
  readonly status: number;
  readonly body: unknown;
  /** Frames after the connect `status`, until `executing {node: null}` (or a short wait for 400s). */
  readonly frames: RecordedFrame[];
  /** Binary frames' bytes, in order. */
  readonly binaries: Buffer[];
  readonly history: Record<string, unknown>;
  readonly seconds: number;
}

/** Frees the cache (as the recording did before each case), then submits the case and follows it to the end. */
export async function runReferenceCase(
  serverUrl: string,
  c: ReferenceCase,
  timeoutMs = 20_000,
): Promise<CaseRun> {
  await fetch(`${serverUrl}/free`, { method: "POST", body: JSON.stringify({ free_memory: true }) });
  const socket = new WebSocket(
    `${serverUrl.replace(/^http/, "ws")}/ws?clientId=${encodeURIComponent(c.prompt.client_id)}`,
  );
  const frames: RecordedFrame[] = [];
  const binaries: Buffer[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  let greeted: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    greeted = resolve;
  });
  let first = true;
  socket.on("message", (data, isBinary) => {
    if (isBinary) {
      const bytes = Buffer.from(data as Buffer);
      binaries.push(bytes);
      frames.push({ binary: true, bytes: bytes.length, head: bytes.subarray(0, 8).toString("hex") });
      return;
    }
    const msg = JSON.parse(String(data)) as { type: string; data: Record<string, unknown> };
    if (first) {
      first = false;
      greeted();
      return;
    }
    frames.push(msg);
    if (msg.type === "executing" && msg.data.node === null && msg.data.prompt_id === c.prompt.prompt_id)
      done();
  });
  await connected;
  try {
    const started = performance.now();
    const res = await fetch(`${serverUrl}/prompt`, { method: "POST", body: c.promptText });
    const body = await res.json();
    if (res.status === 200) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        finished,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${c.name}: no executing{node:null} within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
    }
    const seconds = (performance.now() - started) / 1000;
    const history = (await (await fetch(`${serverUrl}/history/${c.prompt.prompt_id}`)).json()) as Record<
      string,
      unknown
    >;
    return { status: res.status, body, frames, binaries, history, seconds };
  } finally {
    socket.close();
  }
}
