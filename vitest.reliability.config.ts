import { defineConfig } from "vitest/config";
import { sourceConditions } from "./vitest.config.js";

/**
 * `pnpm test:reliability`: the standing fuzz, fault, load and signal suites
 * (`packages/<pkg>/test/reliability/*.reliability.ts`). Long-running and process-heavy, so they
 * run apart from `pnpm test`, one file at a time (CI runs them after it).
 */
export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@comfy-ts/source"] } },
  test: {
    include: ["packages/*/test/reliability/**/*.reliability.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
