import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { currentRunId } from "../report/comparison-record.js";
import { writeFileAtomic } from "./atomic-write.js";

/** The folder inside the results folder recording which test wrote which golden in which run. */
const WRITES_DIR = ".golden-writes";

interface GoldenWrite {
  readonly runId: string;
  readonly test: string;
  readonly contentHash: string;
}

function markerPath(resultsDir: string, golden: string): string {
  return join(resultsDir, WRITES_DIR, `${createHash("sha1").update(golden).digest("hex").slice(0, 20)}.json`);
}

/**
 * The test that already wrote `golden` in this run (across workers: recorded in the results folder)
 * with other content than `contentHash` — two tests sharing a golden name under `-u` —, or undefined.
 */
export async function earlierGoldenWrite(
  resultsDir: string,
  golden: string,
  test: string,
  contentHash: string,
): Promise<string | undefined> {
  let write: GoldenWrite;
  try {
    write = JSON.parse(await readFile(markerPath(resultsDir, golden), "utf8")) as GoldenWrite;
  } catch {
    return undefined;
  }
  if (write.runId !== currentRunId() || write.test === test || write.contentHash === contentHash)
    return undefined;
  return write.test;
}

/** Records that `test` wrote `golden` with `contentHash` in this run. */
export async function recordGoldenWrite(
  resultsDir: string,
  golden: string,
  test: string,
  contentHash: string,
): Promise<void> {
  const write: GoldenWrite = { runId: currentRunId(), test, contentHash };
  await writeFileAtomic(markerPath(resultsDir, golden), `${JSON.stringify(write)}\n`);
}
