import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { GoldenNameError } from "../errors.js";
import { defaultGoldenName, validateGoldenName } from "./golden-name.js";

/** The folder next to each test file that holds its goldens. */
export const GOLDENS_DIR_NAME = "__goldens__";

/** Every file one golden assertion may touch. */
export interface GoldenPaths {
  /** `<test dir>/__goldens__/<test file>/<name>[-<envKey>].png` */
  readonly golden: string;
  /** Provenance sidecar beside the golden: `…/<name>[-<envKey>].json` */
  readonly sidecar: string;
  /** `<name>[-<envKey>]`, relative to the test file's golden folder. */
  readonly key: string;
  /** The test file's golden folder. */
  readonly folder: string;
  /** Artifacts in the results folder, `<results>/<test file>/<test name>/<key>-expected.png`, `-actual`, `-diff`. */
  readonly expected: string;
  readonly actual: string;
  readonly diff: string;
}

/**
 * Where the golden `name` of `testFile` lives, keyed by `envKey` when given. `resultsDir` mirrors the
 * test file's path relative to `root` so artifacts of different files never collide.
 */
export function goldenPaths(args: {
  readonly testFile: string;
  readonly name: string;
  readonly envKey: string | undefined;
  readonly resultsDir: string;
  readonly root: string;
  /** The test's full name: artifacts go in a folder of their own per test (two tests may share a golden). */
  readonly testName?: string | undefined;
}): GoldenPaths {
  const name = validateGoldenName(args.name);
  const key = args.envKey ? `${name}-${args.envKey}` : name;
  const folder = join(dirname(args.testFile), GOLDENS_DIR_NAME, basename(args.testFile));
  const golden = resolve(folder, `${key}.png`);
  if (!golden.startsWith(folder + sep))
    throw new GoldenNameError(args.name, "it resolves outside the golden folder");
  const relativeTest = relative(args.root, args.testFile);
  const safeRelative = relativeTest.startsWith("..") ? basename(args.testFile) : relativeTest;
  const testFolder = args.testName === undefined ? [] : [defaultGoldenName(args.testName, 1)];
  const base = join(args.resultsDir, safeRelative, ...testFolder, key);
  return {
    golden,
    sidecar: resolve(folder, `${key}.json`),
    key,
    folder,
    expected: `${base}-expected.png`,
    actual: `${base}-actual.png`,
    diff: `${base}-diff.png`,
  };
}
