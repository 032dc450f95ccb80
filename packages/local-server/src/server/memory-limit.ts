import { totalmem } from "node:os";

/** The share of the memory available to the process that a job may take the server to, by default. */
export const DEFAULT_MEMORY_FRACTION = 0.5;

/**
 * The default memory limit: half of the memory available to this process — the machine's, or
 * the container's limit when it is lower (cgroups, as `process.constrainedMemory()` reports it).
 */
export function defaultMemoryLimit(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  const available = constrained > 0 && constrained < total ? constrained : total;
  return Math.floor(available * DEFAULT_MEMORY_FRACTION);
}

/** `1.5 GiB`, `512 MiB`: sizes in binary units, as people read memory. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
