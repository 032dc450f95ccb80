import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { GoldenNameError } from "../errors.js";
import { defaultGoldenName, validateGoldenName } from "./golden-name.js";

/** The folder next to each test file that holds its goldens. */
export const GOLDENS_DIR_NAME = "__goldens__";

/** Every file one golden assertion may touch. */
export interface GoldenPaths {
  /** `<test dir>/__goldens__/<test file>/<name>[-<envKey>].<ext>` (the output's real extension). */
  readonly golden: string;
  /** Provenance sidecar beside the golden: `…/<name>[-<envKey>].json` */
  readonly sidecar: string;
  /** `<name>[-<envKey>]`, relative to the test file's golden folder. */
  readonly key: string;
  /** The test file's golden folder. */
  readonly folder: string;
  /** `<results>/<test file>/<test name>/<key>`: artifacts are this plus `-expected.<ext>`, `-actual.<ext>`, `-diff.png` … */
  readonly artifactBase: string;
}

/** Path of one artifact: `<base>-<role>.<extension>`. */
export function artifactPath(paths: GoldenPaths, role: string, extension: string): string {
  return `${paths.artifactBase}-${role}.${extension}`;
}

/**
 * Where the golden `name` of `testFile` lives, keyed by `envKey` when given, with the output's
 * `extension`. `resultsDir` mirrors the test file's path relative to `root` so artifacts of different
 * files never collide.
 */
export function goldenPaths(args: {
  readonly testFile: string;
  readonly name: string;
  readonly envKey: string | undefined;
  readonly extension: string;
  readonly resultsDir: string;
  readonly root: string;
  /** The test's full name: artifacts go in a folder of their own per test (two tests may share a golden). */
  readonly testName?: string | undefined;
}): GoldenPaths {
  const name = validateGoldenName(args.name);
  const key = args.envKey ? `${name}-${args.envKey}` : name;
  const folder = join(dirname(args.testFile), GOLDENS_DIR_NAME, basename(args.testFile));
  const golden = resolve(folder, `${key}.${args.extension}`);
  if (!golden.startsWith(folder + sep))
    throw new GoldenNameError(args.name, "it resolves outside the golden folder");
  const relativeTest = relative(args.root, args.testFile);
  const safeRelative = relativeTest.startsWith("..") ? basename(args.testFile) : relativeTest;
  const testFolder = args.testName === undefined ? [] : [defaultGoldenName(args.testName, 1)];
  return {
    golden,
    sidecar: resolve(folder, `${key}.json`),
    key,
    folder,
    artifactBase: join(args.resultsDir, safeRelative, ...testFolder, key),
  };
}
