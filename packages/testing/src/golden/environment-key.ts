/** The parts of `GET /system_stats` that decide whether two servers render the same pixels. */
export interface SystemStatsLike {
  readonly system?: {
    readonly comfyui_version?: string;
    readonly pytorch_version?: string;
    readonly python_version?: string;
    readonly [key: string]: unknown;
  };
  readonly devices?: readonly {
    readonly name?: string;
    readonly type?: string;
    readonly [key: string]: unknown;
  }[];
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.+]+/g, "-")
    .replace(/\+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The device name without torch's index prefix and allocator suffix:
 * `"cuda:0 NVIDIA H100 : cudaMallocAsync"` → `"NVIDIA H100"`, `"cpu"` → `"cpu"`.
 */
export function deviceModel(name: string): string {
  const withoutIndex = name.replace(/^[a-z]+:\d+\s+/i, "");
  return withoutIndex.replace(/\s+:\s+.*$/, "").trim();
}

/**
 * An environment key for goldens from a server's `/system_stats`: primary device model, torch version
 * and ComfyUI version, e.g. `nvidia-h100_torch2.5.1-cu124_comfy0.3.65`. Two servers with the same
 * key are expected to produce the same pixels for the same prompt.
 */
export function environmentKey(stats: SystemStatsLike): string {
  const device = stats.devices?.[0]?.name ?? stats.devices?.[0]?.type ?? "unknown-device";
  // The version proper: servers that are not torch may add words after it.
  const torch = stats.system?.pytorch_version?.trim().split(/\s+/)[0] || "unknown";
  const comfy = stats.system?.comfyui_version?.trim().split(/\s+/)[0] || "unknown";
  return `${slug(deviceModel(device)) || "unknown-device"}_torch${slug(torch)}_comfy${slug(comfy)}`;
}

/** What decides a server's outputs, in words: versions and device (recorded in golden sidecars). */
export interface EnvironmentInfo {
  readonly key: string;
  readonly comfyui: string;
  readonly torch: string;
  readonly python: string;
  readonly device: string;
}

/** The environment of a server, from its `/system_stats`. */
export function environmentInfo(stats: SystemStatsLike): EnvironmentInfo {
  const first = (text: string | undefined) => text?.trim().split(/\s+/)[0] || "unknown";
  return {
    key: environmentKey(stats),
    comfyui: first(stats.system?.comfyui_version),
    torch: first(stats.system?.pytorch_version),
    python: first(stats.system?.python_version),
    device: deviceModel(stats.devices?.[0]?.name ?? stats.devices?.[0]?.type ?? "unknown"),
  };
}
