import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { writeFileAtomic } from "../golden/atomic-write.js";
import type { MatchOutcomeKind } from "../golden/match-outcome.js";
import type { GoldenFormat, GoldenKind } from "../outputs/output-kind.js";

/** The folder inside the results folder that holds one JSON record per comparison. */
export const RECORDS_DIR = ".records";

/** One `toMatchGolden` of a run, as the HTML report and the unused-golden listing read it. */
export interface ComparisonRecord {
  /** Test file relative to the root, `/`-separated. */
  readonly testFile: string;
  /** `describe > test` */
  readonly testName: string;
  /** Golden key: `<name>[-<envKey>]`. */
  readonly key: string;
  readonly kind: GoldenKind;
  readonly format: GoldenFormat;
  readonly outcome: MatchOutcomeKind;
  readonly pass: boolean;
  /** The assertion message (failures) or a one-line summary. */
  readonly message: string;
  /** Golden path relative to the root, `/`-separated. */
  readonly golden: string;
  readonly environmentKey: string | undefined;
  /** The comparator and tolerances that decided, in words. */
  readonly comparator: string;
  /** The output's facts (size, frames, fps, sample rate, shape …). */
  readonly facts: Readonly<Record<string, string | number>> | undefined;
  /** The comparator's measurements of the worst unit. */
  readonly metrics: Readonly<Record<string, number>> | undefined;
  /** The comparison in one line. */
  readonly summary: string | undefined;
  /** Files relative to the results folder (`/`-separated), when written. */
  readonly files: {
    readonly expected?: string | undefined;
    readonly actual?: string | undefined;
    readonly expectedPicture?: string | undefined;
    readonly actualPicture?: string | undefined;
    readonly diff?: string | undefined;
  };
  /** Milliseconds spent in the matcher. */
  readonly durationMs: number;
  /** The vitest process that ran it (see `currentRunId`): reports leave out records of earlier runs. */
  readonly runId?: string;
}

/**
 * An id shared by every worker of one vitest run: the main vitest process's pid (workers are its
 * child processes, or threads inside it).
 */
export function currentRunId(): string {
  return String(isMainThread ? process.ppid : process.pid);
}

// One record per test and golden: a rerun replaces it, two tests sharing a golden keep one each.
function recordFileName(record: Pick<ComparisonRecord, "testFile" | "testName" | "key">): string {
  const id = `${record.testFile}\0${record.testName}\0${record.key}`;
  return `${createHash("sha1").update(id).digest("hex").slice(0, 20)}.json`;
}

/** Writes (or replaces) the record of one comparison. */
export async function writeComparisonRecord(resultsDir: string, record: ComparisonRecord): Promise<void> {
  await writeFileAtomic(
    join(resultsDir, RECORDS_DIR, recordFileName(record)),
    `${JSON.stringify(record, null, 2)}\n`,
  );
}

/** Every record in a results folder, sorted by test file, then test name, then key. */
export async function readComparisonRecords(resultsDir: string): Promise<ComparisonRecord[]> {
  const dir = join(resultsDir, RECORDS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const records: ComparisonRecord[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    try {
      records.push(JSON.parse(await readFile(join(dir, name), "utf8")) as ComparisonRecord);
    } catch {
      // A record being replaced by another worker right now: the next report picks it up.
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return records.sort(
    (a, b) => cmp(a.testFile, b.testFile) || cmp(a.testName, b.testName) || cmp(a.key, b.key),
  );
}
