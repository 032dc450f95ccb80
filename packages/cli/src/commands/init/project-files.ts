/**
 * The files `comfy-ts init` writes into a new project, by path. Everything here is what a user
 * would otherwise write by hand; each file says in a comment what it is for.
 */

/** Where codegen writes the typed factories, and what pipelines import. */
export const GENERATED_DIR = "src/comfy";

/**
 * Versions of the tools the template uses beside comfy-ts: the ones the comfy-ts packages are
 * built and tested with (a test keeps them equal to the repository's).
 */
export const TOOL_VERSIONS = {
  vitest: "^4.1.0",
  typescript: "^5.9.3",
  "@types/node": "^20.19.0",
} as const;

export interface ProjectOptions {
  /** The package name (from the folder name). */
  readonly name: string;
  /** devDependencies: comfy-ts packages (ranges, or `file:` tarballs) and the tools. */
  readonly devDependencies: Readonly<Record<string, string>>;
  /** The `npm run codegen` command (regenerates GENERATED_DIR from the same source). */
  readonly codegenCommand: string;
}

export function projectFiles(options: ProjectOptions): Map<string, string> {
  const sorted = Object.fromEntries(
    Object.entries(options.devDependencies).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const packageJson = {
    name: options.name,
    private: true,
    type: "module",
    scripts: {
      test: "vitest run",
      typecheck: "tsc --noEmit",
      codegen: options.codegenCommand,
    },
    devDependencies: sorted,
  };
  return new Map([
    ["package.json", `${JSON.stringify(packageJson, null, 2)}\n`],
    ["tsconfig.json", TSCONFIG],
    ["vitest.config.ts", VITEST_CONFIG],
    [".gitignore", GITIGNORE],
    ["src/poster.ts", PIPELINE],
    ["test/poster.test.ts", GOLDEN_TEST],
    [".github/workflows/golden-tests.yml", GITHUB_ACTIONS],
  ]);
}

/** A package name npm accepts, from a folder name. */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name || "comfy-pipelines";
}

const TSCONFIG = `{
  // Strict TypeScript for Node's ES modules. \`npm run typecheck\` checks pipelines and tests;
  // the generated factories in ${GENERATED_DIR} make a wrong link (a MASK into an IMAGE) a type error.
  "compilerOptions": {
    "target": "ES2023",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["src", "test", "vitest.config.ts"]
}
`;

const VITEST_CONFIG = `import { GoldenReporter } from "@comfy-ts/testing/node";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A job on a GPU server waits in the server's queue, then runs for minutes: vitest's default
    // (5 s) would fail it. A run that outlasts this says how long it queued and how long it ran.
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    // Golden comparisons: expected / actual / diff images and index.html in __results__.
    reporters: ["default", new GoldenReporter()],
  },
});
`;

const GITIGNORE = `node_modules/
# Golden comparison results (expected / actual / diff images, index.html): review, do not commit.
__results__/
# Images written by \`comfy-ts run\`.
out/
`;

const PIPELINE = `import { workflow } from "@comfy-ts/core";
// Typed factories of your server's nodes, written by \`npm run codegen\` (do not edit ${GENERATED_DIR}).
import { EmptyImage, ImageInvert, SaveImage } from "./comfy/nodes.js";

/**
 * A first pipeline: a solid canvas, inverted, saved. Model-free, so it runs on any ComfyUI and on
 * the embedded local server. Run it with \`npx comfy-ts run src/poster.ts\` (images in out/).
 */
export const poster = workflow(({ width = 256, height = 256, color = 0x3366ff }) => ({
  poster: SaveImage({
    images: ImageInvert({ image: EmptyImage({ width, height, color }) }),
    filename_prefix: "poster",
  }),
}));

export default poster;
`;

const GOLDEN_TEST = `import { comfyTest as test } from "@comfy-ts/testing";
import { poster } from "../src/poster.js";

// Runs on the server COMFYUI_URL names (a comma-separated list is a pool), else on the embedded
// local server. The first \`npm test -- -u\` writes the golden image beside this file: review it and
// commit it; from then on \`npm test\` compares every pixel with it.
test("the poster renders as reviewed", async ({ comfy, expect }) => {
  const result = await comfy.run(poster);
  await expect(result.image("poster")).toMatchGolden("poster");
});
`;

const GITHUB_ACTIONS = `# Golden-image tests on self-hosted GPU runners, each with a ComfyUI server it can reach.
# Set COMFYUI_URL (a repository or environment variable; comma-separated for a pool) and the runner
# labels below. In CI (CI=true) goldens are never written: a missing or changed golden fails, and the
# results folder (expected / actual / diff images, index.html) is uploaded for review.
name: golden tests

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

concurrency:
  group: golden-\${{ github.ref }}
  cancel-in-progress: true

jobs:
  golden:
    name: \${{ matrix.runner }} shard \${{ matrix.shard }}/2
    strategy:
      fail-fast: false
      matrix:
        # One label per GPU stack you keep goldens for.
        runner: [gpu]
        shard: [1, 2]
    runs-on: [self-hosted, "\${{ matrix.runner }}"]
    timeout-minutes: 60
    env:
      CI: "true"
      COMFYUI_URL: \${{ vars.COMFYUI_URL || 'http://127.0.0.1:8188' }}
      COMFY_TS_RESULTS_DIR: __results__
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-node@v4
        with:
          node-version: 22
          cache: npm

      - run: npm ci

      - name: Wait for ComfyUI
        run: |
          for url in \${COMFYUI_URL//,/ }; do
            curl --fail --silent --show-error --retry 30 --retry-delay 2 --retry-connrefused "$url/system_stats" > /dev/null
          done

      - run: npm run typecheck

      # vitest.config.ts adds the golden reporter (results folder, index.html).
      - name: Golden tests
        run: npx vitest run --shard=\${{ matrix.shard }}/2

      - name: Upload results (expected / actual / diff, HTML report)
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: golden-results-\${{ matrix.runner }}-shard-\${{ matrix.shard }}
          path: __results__/
          if-no-files-found: ignore
          retention-days: 14
`;
