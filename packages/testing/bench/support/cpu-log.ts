import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * CPU and wall time of each iteration of an in-process bench, per label; vitest's table shows wall
 * time only, which a loaded machine inflates with preemption. CPU time counts this process's threads
 * (GC included), so it is an upper bound of the work one call does.
 */
export class CpuLog {
  readonly #runs = new Map<string, { cpu: number[]; wall: number[] }>();
  recording = false;

  /** Runs `fn` once, recording its CPU and wall milliseconds under `label` while recording. */
  async time(label: string, fn: () => unknown): Promise<void> {
    const wall0 = performance.now();
    const cpu0 = process.cpuUsage();
    await fn();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    if (!this.recording) return;
    const runs = this.#runs.get(label) ?? { cpu: [], wall: [] };
    runs.cpu.push((cpu.user + cpu.system) / 1000);
    runs.wall.push(wall);
    this.#runs.set(label, runs);
  }

  /** Median CPU ms of a label. */
  median(label: string): number | undefined {
    const xs = this.#runs.get(label)?.cpu;
    return xs && xs.length > 0 ? quantile(xs, 0.5) : undefined;
  }

  /** One line per label: CPU median with its 10th–90th percentile spread, wall median, iterations. */
  report(title: string): string {
    const lines = [`${title} (ms per call):`];
    for (const [label, { cpu, wall }] of this.#runs) {
      lines.push(
        `  ${label}: cpu median ${fmt(quantile(cpu, 0.5))} (p10 ${fmt(quantile(cpu, 0.1))}, p90 ${fmt(quantile(cpu, 0.9))}), wall median ${fmt(quantile(wall, 0.5))} (p90 ${fmt(quantile(wall, 0.9))}), n=${cpu.length}`,
      );
    }
    return `${lines.join("\n")}\n`;
  }
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

/** Prints a report to stderr and appends it to a file (vitest may not show a bench worker's stderr). */
export function publish(report: string, file: string): void {
  process.stderr.write(report);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, report);
}
