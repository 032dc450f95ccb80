import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** One whole-process run: wall and CPU seconds and peak RSS, from GNU time (or wall only without it). */
export interface ProcessRun {
  readonly wall: number;
  readonly cpu: number | undefined;
  readonly maxRssMb: number | undefined;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Runs a command to completion (asynchronously, so a server in this process can answer it); throws
 * with its stderr when it fails.
 */
export async function runProcess(command: string, args: readonly string[], cwd: string): Promise<ProcessRun> {
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  const [file, argv] = timed ? [GNU_TIME, ["-f", "@@time %U %S %M", command, ...args]] : [command, [...args]];
  const child = spawn(file, argv, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const status = await new Promise<number | null>((done) => child.on("close", done));
  const wall = (performance.now() - started) / 1000;
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${status}:\n${stderr}`);
  const match = /@@time ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (!match) return { wall, cpu: undefined, maxRssMb: undefined };
  return { wall, cpu: Number(match[1]) + Number(match[2]), maxRssMb: Number(match[3]) / 1024 };
}

/** Collects runs per label and prints medians at the end (the bench table shows wall time only). */
export class RunLog {
  readonly #runs = new Map<string, ProcessRun[]>();

  add(label: string, run: ProcessRun): void {
    const list = this.#runs.get(label) ?? [];
    list.push(run);
    this.#runs.set(label, list);
  }

  /** Median of one field over a label's runs (undefined without runs or without that measure). */
  median(label: string, field: "wall" | "cpu" | "maxRssMb"): number | undefined {
    const xs = (this.#runs.get(label) ?? []).flatMap((r) => (r[field] === undefined ? [] : [r[field]]));
    if (xs.length === 0) return undefined;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor((s.length - 1) / 2)];
  }

  report(title: string): string {
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length === 0 ? Number.NaN : s[Math.floor((s.length - 1) / 2)]!;
    };
    const lines = [`${title} (medians of whole-process runs):`];
    for (const [label, runs] of this.#runs) {
      const cpu = runs.flatMap((r) => (r.cpu === undefined ? [] : [r.cpu]));
      const rss = runs.flatMap((r) => (r.maxRssMb === undefined ? [] : [r.maxRssMb]));
      lines.push(
        `  ${label}: wall ${median(runs.map((r) => r.wall)).toFixed(2)} s, cpu ${median(cpu).toFixed(2)} s, ` +
          `peak RSS ${median(rss).toFixed(0)} MB (n=${runs.length})`,
      );
    }
    return `${lines.join("\n")}\n`;
  }
}

/** Prints a report to stderr and appends it to a file (vitest may not show a bench worker's stderr). */
export function publish(report: string, file: string): void {
  process.stderr.write(report);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, report);
}
