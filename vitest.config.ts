import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources through this export condition,
// so tests and benchmarks never need a build step.
export const sourceConditions = ["@comfy-ts/source", "module", "node", "development|production"];

const packages = ["core", "media", "codegen", "local-server", "testing", "cli"] as const;

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@comfy-ts/source"] } },
  test: {
    // End-to-end tests run servers and processes on a 2-core CI machine; keep bounds generous.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          include: [`packages/${name}/test/**/*.test.ts`],
          benchmark: { include: [`packages/${name}/bench/**/*.bench.ts`] },
          typecheck: {
            enabled: true,
            // Type errors outside the type tests are `pnpm typecheck`'s job.
            ignoreSourceErrors: true,
            include: [`packages/${name}/test/**/*.test-d.ts`],
            tsconfig: "./tsconfig.json",
          },
        },
      })),
      {
        extends: true as const,
        test: {
          name: "examples",
          include: ["examples/test/**/*.test.ts"],
          benchmark: { include: ["examples/bench/**/*.bench.ts"] },
          typecheck: {
            enabled: true,
            ignoreSourceErrors: true,
            include: ["examples/test/**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
    ],
  },
});
