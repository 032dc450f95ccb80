import { MediaLibraryMissingError } from "../errors.js";

/** sharp's default export (the factory), typed from the package itself. */
export type Sharp = typeof import("sharp").default;

let loading: Promise<Sharp> | undefined;

/**
 * Loads sharp on first use: a PNG-only comparison never pays for libvips. A failed load (package
 * absent, no prebuilt binary for this platform) becomes a `MediaLibraryMissingError` that says what
 * to install; it is retried on the next call.
 */
export function loadSharp(needed: string): Promise<Sharp> {
  loading ??= import("sharp").then((module) => module.default);
  return loading.catch((error: unknown) => {
    loading = undefined;
    const reason = error instanceof Error ? ` (${error.message.split("\n")[0]})` : "";
    throw new MediaLibraryMissingError(
      "sharp",
      `${needed} needs the npm package "sharp", which did not load${reason}. Install it next to @comfy-ts/media (npm install sharp); on an unusual platform see sharp's installation notes for a prebuilt binary.`,
      { cause: error },
    );
  });
}
