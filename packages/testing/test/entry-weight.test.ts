// `@comfy-ts/testing/node` is what a comparison (the CLI's compare, a reporter) loads: servers, zod and
// codecs load only when used. Counted in a fresh Node process with a module-load hook.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { modulesLoadedBy } from "@comfy-ts/test-support";
import { expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

it("import '@comfy-ts/testing/node' loads at most 60 modules: no server, zod, client or codec", async () => {
  const modules = await modulesLoadedBy("@comfy-ts/testing/node", packageDir);
  const heavy = modules.filter((url) =>
    /local-server|\/zod\/|\/client\/|node-av|sharp|\/media\/src\/(av|image)\//.test(url),
  );
  expect(heavy).toEqual([]);
  expect(modules.length).toBeLessThanOrEqual(60);
}, 60_000);
