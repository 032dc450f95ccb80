import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { SkipReasonsReporter } from "./tools/test-support/src/skip-reasons-reporter.js";

// Workspace packages resolve to their TypeScript sources through this export condition,
// so tests and benchmarks never need a build step.
export const sourceConditions = ["@comfy-ts/source", "module", "node", "development|production"];

const packages = ["core", "media", "codegen", "local-server", "testing", "cli"] as const;

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@comfy-ts/source"] } },
  test: {
    // Most files wait on servers, child processes and timers rather than compute. vitest's default of
    // one worker per core minus one runs a 2-core machine's files one at a time (4.9 min with 85% of a
    // core busy); three workers there take 2.3 min.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    // End-to-end tests run servers and processes on a 2-core CI machine; keep bounds generous.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every skip says why at the end of the run (a skipped file is otherwise only a count).
    reporters: ["default", new SkipReasonsReporter()],
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          include: [`packages/${name}/test/**/*.test.ts`],
          benchmark: { include: [`packages/${name}/bench/**/*.bench.ts`] },
        },
      })),
      {
        extends: true as const,
        test: {
          name: "examples",
          include: ["examples/test/**/*.test.ts"],
          benchmark: { include: ["examples/bench/**/*.bench.ts"] },
        },
      },
      {
        extends: true as const,
        test: {
          // Every type test (*.test-d.ts) in one TypeScript program: one tsc instead of one per
          // package (they share most of the sources: 12 s of CPU instead of 37 s).
          name: "types",
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            // Type errors outside the type tests are `pnpm typecheck`'s job.
            ignoreSourceErrors: true,
            include: ["packages/*/test/**/*.test-d.ts", "examples/test/**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
    ],
  },
});
