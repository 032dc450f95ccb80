import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeImage } from "@comfy-ts/media";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, it } from "vitest";
import { corpusServer } from "./support/corpus-server.js";
import { UNSUPPORTED_NODES } from "./support/reference-cases.js";
import { WsRecorder } from "./support/ws-recorder.js";

interface OutputMeta {
  node_id: string;
  key: string;
  index: number;
  local_file?: string;
  type: string;
}
interface CaseMeta {
  node_types: string[];
  prompt_id: string;
  client_id: string;
  outputs: OutputMeta[];
  /** Non-file UI outputs (PreviewAny text), keyed by node id. */
  other_outputs?: Record<string, Record<string, unknown[]>>;
}

describeWithFixture(
  "reference outputs: pixels of every recorded case on the local server",
  ["reference-outputs"],
  (root) => {
    const server = corpusServer(join(root, "inputs"), "comfy-ts-refout-");

    const cases = root ? readdirSync(join(root, "cases")).sort() : [];
    for (const name of cases) {
      const dir = join(root, "cases", name);
      const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as CaseMeta;
      const missing = meta.node_types.filter((t) => UNSUPPORTED_NODES.has(t));
      const files = meta.outputs.filter((o) => o.local_file);
      const texts = Object.keys(meta.other_outputs ?? {}).length;
      const title = `${name} (${files.length} file${files.length === 1 ? "" : "s"}${texts ? `, ${texts} text` : ""}, exact)`;
      if (missing.length > 0) {
        it.skip(`${title} [skipped: ${missing.join(", ")} not implemented]`, () => {});
        continue;
      }
      it(title, async () => {
        const ws = await WsRecorder.connect(server.url, meta.client_id);
        try {
          // The recorded body is posted verbatim so 64-bit seeds keep their exact digits.
          const res = await fetch(`${server.url}/prompt`, {
            method: "POST",
            body: readFileSync(join(dir, "prompt.json")),
          });
          expect(res.status, await res.clone().text()).toBe(200);
          const end = await ws.waitFor(
            (f) =>
              f.kind === "text" &&
              ((f.type === "executing" && f.data.node === null && f.data.prompt_id === meta.prompt_id) ||
                f.type === "execution_error"),
          );
          expect(
            end.kind === "text" && end.type === "execution_error" ? end.data : undefined,
          ).toBeUndefined();
        } finally {
          ws.socket.close();
        }
        const history = (await (await fetch(`${server.url}/history/${meta.prompt_id}`)).json()) as Record<
          string,
          {
            outputs: Record<
              string,
              Record<string, Array<{ filename: string; subfolder: string; type: string }>>
            >;
          }
        >;
        const outputs = history[meta.prompt_id]?.outputs ?? {};
        for (const [nodeId, ui] of Object.entries(meta.other_outputs ?? {})) {
          expect(outputs[nodeId] as unknown, `UI output of node ${nodeId}`).toMatchObject(ui);
        }
        for (const o of files) {
          const entry = outputs[o.node_id]?.[o.key]?.[o.index];
          expect(entry, `output ${o.node_id}.${o.key}[${o.index}]`).toBeDefined();
          if (!entry) continue;
          const q = new URLSearchParams({
            filename: entry.filename,
            subfolder: entry.subfolder,
            type: entry.type,
          });
          const view = await fetch(`${server.url}/view?${q}`);
          expect(view.status).toBe(200);
          // Every frame of every format (PNG, APNG, WebP) as PIL decodes it.
          const actual = await decodeImage(new Uint8Array(await view.arrayBuffer()), {
            name: entry.filename,
          });
          const expected = await decodeImage(readFileSync(join(dir, o.local_file as string)), {
            name: o.local_file as string,
          });
          const where = `${name} ${o.node_id}.${o.key}[${o.index}]`;
          expect(
            [actual.format, actual.width, actual.height, actual.layout, actual.frames.length],
            `${where} format/size/layout/frames`,
          ).toEqual([
            expected.format,
            expected.width,
            expected.height,
            expected.layout,
            expected.frames.length,
          ]);
          let worst = 0;
          let differing = 0;
          let total = 0;
          for (const [f, frame] of expected.frames.entries()) {
            const got = actual.frames[f]!.data;
            total += frame.data.length;
            for (let i = 0; i < frame.data.length; i++) {
              const d = Math.abs((got[i] as number) - (frame.data[i] as number));
              if (d > 0) differing++;
              worst = Math.max(worst, d);
            }
          }
          const message = `${where}: ${differing} of ${total} samples differ, by up to ${worst}`;
          expect(worst, message).toBe(0);
        }
      });
    }
  },
);
