import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { compareFrames, outputCount, sortNodeErrors } from "./compare-run.js";
import { normalizeHistoryEntry } from "./normalize-messages.js";
import { type CaseRun, listReferenceCases, type ReferenceCase, runReferenceCase } from "./reference-cases.js";

/** One output file of a media case, as its `meta.json` records it (see the corpus INDEX.md). */
export interface MediaOutputMeta {
  readonly node_id: string;
  readonly key: string;
  readonly index: number;
  readonly local_file?: string;
  readonly file_sha256?: string;
  /** Images: PIL's decoded frames (native mode, 8-bit), per frame. */
  readonly frame_sha256?: readonly string[];
  readonly sha256?: string;
  readonly n_frames?: number;
  readonly durations_ms_pil?: readonly number[];
  readonly [field: string]: unknown;
}

/** A case of `reference-outputs-media` with the fields of its meta.json the media tests read. */
export type MediaCase = ReferenceCase & {
  readonly meta: ReferenceCase["meta"] & {
    /** in / img / vid / aud / lat. */
    readonly group: string;
    readonly outputs?: readonly MediaOutputMeta[];
    readonly rerun?: { readonly file_bytes_identical?: boolean; readonly decoded_identical?: boolean };
    /** Failed only because the recording host had an old PyAV: not behaviour to copy. */
    readonly environment_artefact?: boolean;
    readonly other_outputs?: Record<string, Record<string, unknown[]>>;
  };
};

/** The cases (and error cases) of the given groups, sorted by name. */
export function listMediaCases(root: string, groups: readonly string[]): MediaCase[] {
  return (listReferenceCases(root) as MediaCase[]).filter((c) => groups.includes(c.meta.group));
}

/** An output file the server wrote, fetched through `/view`, beside the recorded one. */
export interface FetchedOutput {
  readonly meta: MediaOutputMeta;
  /** `node_id.key[index]`, for messages. */
  readonly where: string;
  readonly actual: Uint8Array;
  readonly recorded: Uint8Array;
  /** The history entry (file name, subfolder, type) the server gave. */
  readonly entry: { filename: string; subfolder: string; type: string };
}

/**
 * Runs a case through the real protocol (POST /prompt, the WebSocket to the end, GET /history) and
 * checks what every media case must match: the HTTP answer, the WebSocket message sequence and the
 * history entry (normalized as the reference protocol test does). Returns the run, or undefined for a
 * case that ends at validation.
 */
export async function runMediaCase(serverUrl: string, c: MediaCase): Promise<CaseRun | undefined> {
  const run = await runReferenceCase(serverUrl, c);
  expect(run.status, "HTTP status of POST /prompt").toBe(c.response.status);
  if (run.status !== 200) {
    expect(sortNodeErrors(run.body)).toEqual(sortNodeErrors(c.response.body));
    return undefined;
  }
  compareFrames(run, c.ws.slice(1), outputCount(c.history, c.prompt.prompt_id));
  expect(normalizeHistoryEntry(run.history[c.prompt.prompt_id])).toEqual(
    normalizeHistoryEntry(c.history?.[c.prompt.prompt_id]),
  );
  return run;
}

/** Every recorded output file of a finished run, fetched from the server through `/view`. */
export async function fetchOutputs(serverUrl: string, c: MediaCase, run: CaseRun): Promise<FetchedOutput[]> {
  const entry = run.history[c.prompt.prompt_id] as {
    outputs: Record<string, Record<string, Array<{ filename: string; subfolder: string; type: string }>>>;
  };
  const out: FetchedOutput[] = [];
  for (const meta of c.meta.outputs ?? []) {
    if (!meta.local_file) continue;
    const where = `${meta.node_id}.${meta.key}[${meta.index}]`;
    const file = entry.outputs[meta.node_id]?.[meta.key]?.[meta.index];
    expect(file, `output ${where} in the history`).toBeDefined();
    if (!file) continue;
    const query = new URLSearchParams({
      filename: file.filename,
      subfolder: file.subfolder,
      type: file.type,
    });
    const view = await fetch(`${serverUrl}/view?${query}`);
    expect(view.status, `GET /view of ${where}`).toBe(200);
    out.push({
      meta,
      where,
      actual: new Uint8Array(await view.arrayBuffer()),
      recorded: readFileSync(join(c.dir, meta.local_file)),
      entry: file,
    });
  }
  return out;
}
