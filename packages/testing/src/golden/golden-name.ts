import { GoldenNameError } from "../errors.js";

/** Extensions goldens are kept under: a name may end with one (it is dropped). */
const GOLDEN_EXTENSIONS = new Set(
  "png jpg jpeg gif webp bmp tif tiff mp4 m4a m4v mov webm mkv mka flac wav mp3 opus ogg oga latent safetensors txt".split(
    " ",
  ),
);

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.,+=@()-]*$/;

/**
 * Checks a golden name given by a test. Names are relative, `/`-separated paths of portable segments
 * (letters, digits, `_ . , + = @ ( ) -`, not starting with `.`), so they cannot escape the golden folder
 * and mean the same file on every OS. Returns the name without a golden file extension (`.png`,
 * `.mp4` …): the golden keeps the output's own extension.
 */
export function validateGoldenName(name: string): string {
  if (typeof name !== "string" || name.length === 0) throw new GoldenNameError(String(name), "it is empty");
  if (name.includes("\\")) throw new GoldenNameError(name, "use `/` to separate folders, not `\\`");
  if (name.startsWith("/")) throw new GoldenNameError(name, "it must be relative to the golden folder");
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const bare = extension && GOLDEN_EXTENSIONS.has(extension) ? name.slice(0, -extension.length - 1) : name;
  for (const segment of bare.split("/")) {
    if (segment === ".." || segment === ".") {
      throw new GoldenNameError(
        name,
        "`.` and `..` segments are not allowed (names cannot leave the golden folder)",
      );
    }
    if (!SEGMENT.test(segment)) {
      throw new GoldenNameError(
        name,
        `segment ${JSON.stringify(segment)} must start with a letter, digit or _ and contain only letters, digits and _ . , + = @ ( ) -`,
      );
    }
  }
  if (bare.length > 200) throw new GoldenNameError(name, "it is longer than 200 characters");
  return bare;
}

/**
 * A golden name derived from a test's full name (`describe > test`), for `toMatchGolden()` without a
 * name: unsafe characters become `-`, and the n-th call in one test gets `-n` from the second on.
 */
export function defaultGoldenName(testName: string, callIndex: number): string {
  const base =
    testName
      .replace(/[^A-Za-z0-9_.-]+/g, "-")
      .replace(/^[-.]+|-+$/g, "")
      .replace(/-{2,}/g, "-")
      .slice(0, 120) || "golden";
  return callIndex <= 1 ? base : `${base}-${callIndex}`;
}
