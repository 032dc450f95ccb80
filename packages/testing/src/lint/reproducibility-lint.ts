import type { ApiPrompt } from "@comfy-ts/core";
import { findSeedInputs, type RawObjectInfo } from "../seeds/seed-inputs.js";

/** One reason a graph's pixels may not reproduce. */
export interface ReproducibilityIssue {
  readonly code:
    | "seed-from-random-source"
    | "seed-randomized"
    | "seed-computed"
    | "gpu-noise-sampler"
    | "device-noise-sampler";
  readonly nodeId: string;
  readonly classType: string;
  readonly input: string;
  readonly message: string;
}

export interface LintOptions {
  /** Goldens are compared across devices (CPU vs GPU, or GPU models): flag device-dependent noise. */
  readonly acrossDevices?: boolean;
  readonly objectInfo?: RawObjectInfo;
}

// Per-step noise drawn by a torch.Generator on the model's device.
const DEVICE_NOISE_SAMPLERS = [/_ancestral/, /^er_sde$/, /^seeds_[23]$/, /^sa_solver/, /^lcm$/, /^ddpm$/];
// Primitive nodes whose output is their literal input: a seed linked to one is still fixed.
const PRIMITIVE_SOURCE = /^(Primitive(Int|Float|Node)?|Int(Literal)?|Seed)$/;

/**
 * Finds what makes a prompt's output images non-reproducible: seeds linked to random sources or set
 * to -1 (the "randomize" convention of seed nodes), seeds computed by other nodes, and — when goldens
 * are compared across devices — `_gpu` samplers (Brownian tree on the GPU) and samplers that draw
 * per-step noise on the model's device (ancestral, `er_sde`, `lcm`, …).
 */
export function lintReproducibility(prompt: ApiPrompt, options: LintOptions = {}): ReproducibilityIssue[] {
  const issues: ReproducibilityIssue[] = [];
  for (const seed of findSeedInputs(prompt, options.objectInfo)) {
    const at = { nodeId: seed.nodeId, classType: seed.classType, input: seed.input };
    if (seed.link) {
      const source = prompt[seed.link[0]];
      const sourceClass = source?.class_type ?? "missing node";
      if (/random/i.test(sourceClass)) {
        issues.push({
          ...at,
          code: "seed-from-random-source",
          message: `node ${seed.nodeId} (${seed.classType}) takes ${seed.input} from node ${seed.link[0]} (${sourceClass}), a random source: pin it with the seeds option`,
        });
      } else if (!PRIMITIVE_SOURCE.test(sourceClass)) {
        issues.push({
          ...at,
          code: "seed-computed",
          message: `node ${seed.nodeId} (${seed.classType}) takes ${seed.input} from node ${seed.link[0]} (${sourceClass}): make sure that value is fixed, or pin it with the seeds option`,
        });
      }
    } else if (seed.value === -1 || seed.value === -1n) {
      issues.push({
        ...at,
        code: "seed-randomized",
        message: `node ${seed.nodeId} (${seed.classType}) has ${seed.input} = -1, which seed nodes read as "random each run": pin it`,
      });
    }
  }
  if (options.acrossDevices) {
    for (const [nodeId, node] of Object.entries(prompt)) {
      const sampler = node.inputs?.sampler_name;
      if (typeof sampler !== "string") continue;
      const at = { nodeId, classType: node.class_type, input: "sampler_name" };
      if (sampler.endsWith("_gpu")) {
        issues.push({
          ...at,
          code: "gpu-noise-sampler",
          message: `node ${nodeId} (${node.class_type}) uses ${sampler}, whose noise is generated on the GPU: results differ between devices; use ${sampler.slice(0, -4)} or key goldens by environment`,
        });
      } else if (DEVICE_NOISE_SAMPLERS.some((re) => re.test(sampler))) {
        issues.push({
          ...at,
          code: "device-noise-sampler",
          message: `node ${nodeId} (${node.class_type}) uses ${sampler}, which draws per-step noise on the model's device: results differ between devices; key goldens by environment`,
        });
      }
    }
  }
  return issues;
}
