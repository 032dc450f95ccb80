import { bench, describe } from "vitest";
import { startLocalServer } from "../src/index.js";

// Target: ≤ 0.3 s from calling startLocalServer() to the first answered request.
describe("local server start", () => {
  bench(
    "startLocalServer → first GET /system_stats answered → close",
    async () => {
      const server = await startLocalServer();
      const res = await fetch(`${server.url}/system_stats`);
      await res.arrayBuffer();
      await server.close();
    },
    { iterations: 20, time: 0 },
  );

  bench(
    "startLocalServer → first GET /object_info answered → close",
    async () => {
      const server = await startLocalServer();
      const res = await fetch(`${server.url}/object_info`);
      await res.arrayBuffer();
      await server.close();
    },
    { iterations: 20, time: 0 },
  );
});
