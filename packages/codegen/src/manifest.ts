import { createHash } from "node:crypto";

/** `manifest.json` of an output folder: what was generated, from which catalog. */
export interface Manifest {
  readonly generator: "comfy-ts codegen";
  /** Bumped when the shape of generated files changes. */
  readonly formatVersion: 1;
  /** sha256 of the `/object_info` text read (or of `catalogToJson` when codegen was given no text). */
  readonly catalogHash: string;
  /** `system.comfyui_version` of the server, or `"unknown"` for a saved catalog without one. */
  readonly comfyuiVersion: string;
  readonly nodeCount: number;
  /** Class types the catalog listed but that could not be parsed, so have no factory. */
  readonly skipped: readonly string[];
  /** The saved catalog, relative to the output folder, when there is one (`--save-catalog`). */
  readonly catalog?: string;
  /** Generated files (relative paths, `/`-separated) and their sha256. The manifest itself is not listed. */
  readonly files: Readonly<Record<string, string>>;
}

export const MANIFEST_FILE = "manifest.json";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Reads a manifest's text; undefined when it is not one of ours. */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    if (value.generator !== "comfy-ts codegen" || typeof value.files !== "object" || value.files === null)
      return undefined;
    return value as Manifest;
  } catch {
    return undefined;
  }
}
