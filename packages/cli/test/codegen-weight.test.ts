// `comfy-ts codegen` runs on every catalog change and in CI: the bin routes it to codegen-main, which must
// load only the catalog parser and the generator (no client, zod, workflow converters, server or codecs).
// Counted in a fresh Node process with a module-load hook.
import { fileURLToPath } from "node:url";
import { modulesLoadedBy } from "@comfy-ts/test-support";
import { expect, it } from "vitest";

const entry = new URL("../src/codegen-main.ts", import.meta.url);

it("the codegen command loads at most 50 modules: no client, zod, workflow, server or codec", async () => {
  const modules = await modulesLoadedBy(entry.href, fileURLToPath(new URL("..", import.meta.url)));
  const heavy = modules.filter((url) =>
    /local-server|\/zod\/|\/client\/|\/workflow\/|\/png\/|\/testing\/|\/media\/|node-av|sharp/.test(url),
  );
  expect(heavy).toEqual([]);
  expect(modules.length).toBeLessThanOrEqual(50);
}, 60_000);
