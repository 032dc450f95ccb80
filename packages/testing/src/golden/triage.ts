import { readFile } from "node:fs/promises";
import type { ApiPrompt } from "@comfy-ts/core";
import { parseJsonLossless } from "@comfy-ts/core/json";
import type { EnvironmentInfo } from "./environment-key.js";
import type { OutputProvenance } from "./provenance.js";

type PromptNode = ApiPrompt[string];

function isLink(value: unknown): value is [string | number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    (typeof value[0] === "string" || typeof value[0] === "number") &&
    typeof value[1] === "number"
  );
}

function shown(value: unknown): string {
  if (isLink(value)) return `link from "${value[0]}"[${value[1]}]`;
  if (typeof value === "bigint") return value.toString();
  if (value === undefined) return "(unset)";
  const text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") return String(a) === String(b);
  return (
    JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? v.toString() : v))
  );
}

/**
 * What changed between two compiled prompts, node by node: `KSampler "3".steps 20 → 25`, links
 * rewired, combo values changed, nodes added or removed, a node's class changed. Empty when equal.
 */
export function promptChanges(before: ApiPrompt, after: ApiPrompt): string[] {
  const changes: string[] = [];
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) => {
    const na = Number(a);
    const nb = Number(b);
    return Number.isNaN(na) || Number.isNaN(nb) ? (a < b ? -1 : a > b ? 1 : 0) : na - nb;
  });
  for (const id of ids) {
    const was: PromptNode | undefined = before[id];
    const now: PromptNode | undefined = after[id];
    if (!was && now) {
      changes.push(`node "${id}" (${now.class_type}) added`);
      continue;
    }
    if (was && !now) {
      changes.push(`node "${id}" (${was.class_type}) removed`);
      continue;
    }
    if (!was || !now) continue;
    if (was.class_type !== now.class_type) {
      changes.push(`node "${id}": class ${was.class_type} → ${now.class_type}`);
      continue;
    }
    const inputs = [...new Set([...Object.keys(was.inputs ?? {}), ...Object.keys(now.inputs ?? {})])];
    for (const input of inputs) {
      const a = was.inputs?.[input];
      const b = now.inputs?.[input];
      if (!same(a, b)) changes.push(`${now.class_type} "${id}".${input} ${shown(a)} → ${shown(b)}`);
    }
  }
  return changes;
}

function environmentChanges(
  before: EnvironmentInfo | undefined,
  beforeKey: string | undefined,
  now: EnvironmentInfo | undefined,
  nowKey: string | undefined,
): string[] {
  const changes: string[] = [];
  if (beforeKey !== nowKey) changes.push(`environment key ${beforeKey ?? "(none)"} → ${nowKey ?? "(none)"}`);
  if (before && now) {
    for (const field of ["comfyui", "torch", "python", "device"] as const) {
      if (before[field] !== now[field])
        changes.push(`${field === "comfyui" ? "ComfyUI" : field} ${before[field]} → ${now[field]}`);
    }
  }
  return changes;
}

interface SidecarFacts {
  readonly prompt?: ApiPrompt;
  readonly promptHash?: string;
  readonly environmentKey?: string;
  readonly environment?: EnvironmentInfo;
}

async function readSidecar(path: string): Promise<SidecarFacts | undefined> {
  try {
    const value = parseJsonLossless(await readFile(path, "utf8"));
    return typeof value === "object" && value !== null ? (value as SidecarFacts) : undefined;
  } catch {
    return undefined;
  }
}

function describeEnvironment(info: EnvironmentInfo | undefined, key: string | undefined): string {
  if (!info) return key ?? "unknown";
  return `${info.key}: ComfyUI ${info.comfyui}, torch ${info.torch}, ${info.device}`;
}

/**
 * The first question a reviewer asks about a failing golden — did the graph change, or the server? —
 * answered from the sidecar the golden was accepted with and the provenance of this output: the
 * changed node inputs, or (same graph) the environment then and now.
 */
export async function triageNotes(
  sidecarPath: string,
  now: OutputProvenance | undefined,
  nowEnvironmentKey: string | undefined,
): Promise<string[]> {
  const sidecar = await readSidecar(sidecarPath);
  if (!now?.prompt) return [];
  if (!sidecar?.prompt) {
    return [
      "What changed: unknown — the golden's sidecar records no prompt (accepted from bytes, or by an older comfy-ts); accept it again with `vitest -u` to record one.",
    ];
  }
  const changes = promptChanges(sidecar.prompt, now.prompt);
  if (changes.length > 0) {
    const shownChanges = changes.slice(0, 12).map((c) => `  ${c}`);
    if (changes.length > 12) shownChanges.push(`  … and ${changes.length - 12} more`);
    return [
      `The graph changed since the golden was accepted (${changes.length} change${changes.length === 1 ? "" : "s"}):`,
      ...shownChanges,
    ];
  }
  const env = environmentChanges(
    sidecar.environment,
    sidecar.environmentKey,
    now.environment,
    nowEnvironmentKey ?? now.environmentKey,
  );
  if (env.length > 0) {
    return [
      `The graph is unchanged since the golden was accepted; the server side changed: ${env.join("; ")}.`,
      `  then: ${describeEnvironment(sidecar.environment, sidecar.environmentKey)}`,
      `  now:  ${describeEnvironment(now.environment, nowEnvironmentKey)}`,
    ];
  }
  return [
    `The graph and the environment (${describeEnvironment(now.environment, nowEnvironmentKey)}) are the same as when the golden was accepted: the server gave another output for the same prompt. Measure its run-to-run spread with \`comfy-ts calibrate\`.`,
  ];
}
