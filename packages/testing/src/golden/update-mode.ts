import { GoldenOptionsError } from "../errors.js";

/**
 * Which goldens a run may write: `none` (compare only), `new` (write missing ones), `all` (write
 * missing and changed ones).
 */
export type UpdateMode = "none" | "new" | "all";

const MODES: readonly UpdateMode[] = ["none", "new", "all"];

/** Where the update mode comes from: vitest's `-u` state, the environment, and whether this is CI. */
export interface UpdateModeSources {
  /** `expect.getState().snapshotState.snapshotUpdateState`: `all` under `vitest -u`. */
  readonly vitestUpdate: string | undefined;
  /** `COMFY_TS_UPDATE_GOLDENS`: `none | new | all`, overrides vitest's state. */
  readonly envOverride: string | undefined;
  /** `CI` is set and not "false"/"0": goldens are never written. */
  readonly ci: boolean;
}

/** True when `CI` is set to anything but "", "0" or "false". */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/**
 * The effective update mode. Under CI it is always `none`, whatever was asked. Locally, `vitest -u`
 * means `all`; without it a missing golden fails (it is not silently written) unless
 * `COMFY_TS_UPDATE_GOLDENS=new` says so.
 */
export function resolveUpdateMode(sources: UpdateModeSources): UpdateMode {
  if (sources.envOverride !== undefined && sources.envOverride !== "") {
    if (!MODES.includes(sources.envOverride as UpdateMode)) {
      throw new GoldenOptionsError(
        "COMFY_TS_UPDATE_GOLDENS",
        `COMFY_TS_UPDATE_GOLDENS must be one of ${MODES.join(", ")}, got ${JSON.stringify(sources.envOverride)}`,
      );
    }
  }
  if (sources.ci) return "none";
  if (sources.envOverride) return sources.envOverride as UpdateMode;
  return sources.vitestUpdate === "all" ? "all" : "none";
}
