import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "vitest";

/**
 * Python interpreters with the libraries ComfyUI 0.3.65's recordings were made with (Debian's
 * python3-pil 9.4, python3-torch 1.13, python3-av 10, python3-numpy) serve as references for
 * property tests of an algorithm. `COMFY_TS_PYTHON` names one explicitly; otherwise the candidates
 * are tried in order and the first that imports every module wins (a pyenv `python3` on PATH often
 * lacks Debian's packages, so Debian's own interpreter is tried too).
 */
const candidates = (): string[] =>
  process.env.COMFY_TS_PYTHON ? [process.env.COMFY_TS_PYTHON] : ["python3", "/usr/bin/python3", "python"];

const found = new Map<string, string | undefined>();

/** The first interpreter that imports every one of `modules` (e.g. `["PIL", "numpy"]`), or undefined. */
export function pythonWith(modules: readonly string[]): string | undefined {
  const key = [...modules].sort().join(",");
  if (found.has(key)) return found.get(key);
  const script = modules.map((m) => `import ${m}`).join("; ") || "pass";
  let interpreter: string | undefined;
  for (const candidate of candidates()) {
    const result = spawnSync(candidate, ["-c", script], { stdio: "ignore", timeout: 60_000 });
    if (result.status === 0) {
      interpreter = candidate;
      break;
    }
  }
  found.set(key, interpreter);
  return interpreter;
}

/**
 * Runs a Python script with `input` on stdin and returns its stdout bytes; throws with stderr when it
 * fails. For reference computations in property tests.
 */
export function runPython(interpreter: string, script: string, input?: Uint8Array | string): Buffer {
  const result = spawnSync(interpreter, ["-c", script], {
    input,
    maxBuffer: 1 << 30,
    timeout: 600_000,
  });
  if (result.status !== 0) {
    throw new Error(`python reference failed (exit ${result.status}): ${result.stderr?.toString() ?? ""}`);
  }
  return result.stdout;
}

/**
 * A describe block that needs a Python with `modules`. Where none is found (a user's fresh clone),
 * the block is skipped and its name says why and what to install, so the skip is visible.
 */
export function describeWithPython(
  name: string,
  modules: readonly string[],
  body: (python: string) => void,
): void {
  const python = pythonWith(modules);
  if (python) {
    describe(name, () => body(python));
    return;
  }
  const reason = `no python3 with ${modules.join(", ")} (Debian: apt-get install ${modules
    .map(debianPackage)
    .join(" ")}; or set COMFY_TS_PYTHON)`;
  describe(`${name} [skipped: ${reason}]`, () => {
    test.skip(`needs ${reason}`, () => {});
  });
}

function debianPackage(module: string): string {
  const known: Record<string, string> = {
    PIL: "python3-pil",
    torch: "python3-torch",
    torchaudio: "python3-torchaudio",
    av: "python3-av",
    numpy: "python3-numpy",
  };
  return known[module] ?? `python3-${module.toLowerCase()}`;
}

/** One generated image file and PIL's decode of it (base64 fields), from `pil_image_cases.py`. */
export interface PilImageCase {
  readonly name: string;
  /** The file's bytes. */
  readonly file: string;
  /** The layout decodeImage must report ("gray16" for 16-bit grey). */
  readonly layout: string;
  readonly bitDepth: number;
  /** PIL's frames converted to that layout. */
  readonly frames: ReadonlyArray<{ readonly data: string; readonly durationMs?: number | null }>;
  readonly loop?: number;
  readonly orientation?: number;
  /** `ImageOps.exif_transpose(im).convert("RGB")` when the file has an orientation. */
  readonly oriented?: { readonly width: number; readonly height: number; readonly data: string };
}

/**
 * Image files of every format, size and parameter family PIL writes (plus hand-made BMP forms), each
 * with PIL's own decode. Shared by the media decoder's property test and LoadImage's.
 */
export function pilImageCases(interpreter: string): PilImageCase[] {
  const script = readFileSync(new URL("./pil_image_cases.py", import.meta.url), "utf8");
  return runPython(interpreter, script)
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}
