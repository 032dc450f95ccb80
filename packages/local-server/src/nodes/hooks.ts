import { linspace } from "../tensor/linspace.js";
import { BOOLEAN, COMBO, defineNode, FLOAT, INT, out, T } from "./define.js";
import type { HookGroup, HookKeyframe, HookKeyframeGroup } from "./socket-types.js";

// comfy_extras/nodes_hooks.py

const MOD = "comfy_extras.nodes_hooks";

function addKeyframes(prev: HookKeyframeGroup | undefined, add: readonly HookKeyframe[]): HookKeyframeGroup {
  const base = prev?.keyframes ?? [];
  const keyframes = [...base, ...add].map((k, i) => [k, i] as const);
  keyframes.sort((a, b) => a[0].start_percent - b[0].start_percent || a[1] - b[1]);
  return { kind: "hook_keyframes", keyframes: keyframes.map(([k]) => k) };
}

/** `InterpolationMethod.get_weights`: linear, or eased with x², 1−(1−x)², smoothstep-like in/out. */
function weights(from: number, to: number, length: number, method: string): number[] {
  const diff = to - from;
  const t = Array.from(linspace(0, 1, length).data);
  const ease = (x: number) =>
    method === "ease_in"
      ? x * x
      : method === "ease_out"
        ? 1 - (1 - x) * (1 - x)
        : method === "ease_in_out"
          ? x * x * (3 - 2 * x)
          : x;
  if (method === "linear") return Array.from(linspace(from, to, length).data);
  return t.map((x) => Math.fround(from + diff * ease(x)));
}

export const nodes = [
  defineNode(
    {
      name: "CreateHookKeyframe",
      display: "Create Hook Keyframe",
      category: "advanced/hooks/scheduling",
      module: MOD,
      experimental: true,
      required: {
        strength_mult: FLOAT({ default: 1.0, min: -20.0, max: 20.0, step: 0.01 }),
        start_percent: FLOAT({ default: 0.0, min: 0.0, max: 1.0, step: 0.001 }),
      },
      optional: { prev_hook_kf: T("HOOK_KEYFRAMES") },
      outputs: [["HOOK_KEYFRAMES", "HOOK_KF"]],
    },
    (i) =>
      out(
        addKeyframes(i.prev_hook_kf, [
          { strength: i.strength_mult, start_percent: i.start_percent, guarantee_steps: 1 },
        ]),
      ),
  ),
  defineNode(
    {
      name: "CreateHookKeyframesInterpolated",
      display: "Create Hook Keyframes Interp.",
      category: "advanced/hooks/scheduling",
      module: MOD,
      experimental: true,
      required: {
        strength_start: FLOAT({ default: 1.0, min: 0.0, max: 10.0, step: 0.001 }),
        strength_end: FLOAT({ default: 1.0, min: 0.0, max: 10.0, step: 0.001 }),
        interpolation: COMBO(["linear", "ease_in", "ease_out", "ease_in_out"]),
        start_percent: FLOAT({ default: 0.0, min: 0.0, max: 1.0, step: 0.001 }),
        end_percent: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.001 }),
        keyframes_count: INT({ default: 5, min: 2, max: 100, step: 1 }),
        print_keyframes: BOOLEAN({ default: false }),
      },
      optional: { prev_hook_kf: T("HOOK_KEYFRAMES") },
      outputs: [["HOOK_KEYFRAMES", "HOOK_KF"]],
    },
    (i) => {
      const n = i.keyframes_count;
      const method = i.interpolation;
      const percents = weights(i.start_percent, i.end_percent, n, method);
      const strengths = weights(i.strength_start, i.strength_end, n, method);
      const add = percents.map((p, k) => ({
        strength: strengths[k] as number,
        start_percent: p,
        guarantee_steps: k === 0 ? 1 : 0,
      }));
      return out(addKeyframes(i.prev_hook_kf, add));
    },
  ),
  ...[2, 4, 8].map((count) =>
    defineNode(
      {
        name: `CombineHooks${count}`,
        display: `Combine Hooks [${count}]`,
        category: "advanced/hooks/combine",
        module: MOD,
        experimental: true,
        required: {},
        optional: Object.fromEntries(
          Array.from({ length: count }, (_, k) => [`hooks_${String.fromCharCode(65 + k)}`, T("HOOKS")]),
        ),
        outputs: [["HOOKS"]],
      },
      (i) => {
        const groups = Object.keys(i)
          .sort()
          .map((k) => i[k]);
        const hooks = groups.flatMap((g) => g?.hooks ?? []);
        return out({ kind: "hooks", hooks } satisfies HookGroup);
      },
    ),
  ),
  defineNode(
    {
      name: "ConditioningTimestepsRange",
      display: "Timesteps Range",
      category: "advanced/hooks",
      module: MOD,
      experimental: true,
      required: {
        start_percent: FLOAT({ default: 0.0, min: 0.0, max: 1.0, step: 0.001 }),
        end_percent: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.001 }),
      },
      outputs: [["TIMESTEPS_RANGE"], ["TIMESTEPS_RANGE", "BEFORE_RANGE"], ["TIMESTEPS_RANGE", "AFTER_RANGE"]],
    },
    (i) => {
      const s = i.start_percent;
      const e = i.end_percent;
      return out([s, e], [0, s], [e, 1]);
    },
  ),
];
