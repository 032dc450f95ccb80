import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { compile, parseCatalogText } from "@comfy-ts/core";
import { parseWorkflowJson, uiToApi } from "@comfy-ts/core/workflow";
import { sharedFixture } from "@comfy-ts/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { captureIo } from "./support/capture-io.js";

const MODULE = resolve(import.meta.dirname, "fixtures/invert.workflow.ts");

// A small /object_info covering the fixture module's classes (EmptyImage, ImageInvert, SaveImage).
const OBJECT_INFO = {
  EmptyImage: {
    input: {
      required: {
        width: ["INT", { default: 512, min: 1, max: 16384 }],
        height: ["INT", { default: 512, min: 1, max: 16384 }],
        batch_size: ["INT", { default: 1, min: 1, max: 4096 }],
        color: ["INT", { default: 0, min: 0, max: 16777215, display: "color" }],
      },
    },
    output: ["IMAGE"],
    output_name: ["IMAGE"],
    name: "EmptyImage",
    display_name: "EmptyImage",
    category: "image",
    output_node: false,
  },
  ImageInvert: {
    input: { required: { image: ["IMAGE"] } },
    output: ["IMAGE"],
    output_name: ["IMAGE"],
    name: "ImageInvert",
    display_name: "Invert Image",
    category: "image",
    output_node: false,
  },
  SaveImage: {
    input: { required: { images: ["IMAGE"], filename_prefix: ["STRING", { default: "ComfyUI" }] } },
    output: [],
    output_name: [],
    name: "SaveImage",
    display_name: "Save Image",
    category: "image",
    output_node: true,
  },
};

// Inside the package (under out/, which git ignores) so that generated modules resolve @comfy-ts/core.
const SCRATCH = resolve(import.meta.dirname, "out");

let dir: string;
beforeEach(async () => {
  await mkdir(SCRATCH, { recursive: true });
  dir = await mkdtemp(join(SCRATCH, "import-"));
  await writeFile(join(dir, "object_info.json"), JSON.stringify(OBJECT_INFO));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  return cliWith({}, ...args);
}

async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const c = captureIo(dir, env);
  const code = await main(args, c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

describe("comfy-ts export", () => {
  it("--to api writes what compile gives", async () => {
    const { code, out } = await cli("export", MODULE, "--to", "api");
    expect(code).toBe(ExitCode.ok);
    const { default: flow } = await import("./fixtures/invert.workflow.js");
    expect(JSON.parse(out)).toEqual(compile(flow));
  });

  it("TS → UI → API gives the same prompt (export --to ui, then import --to api)", async () => {
    const api = await cli("export", MODULE, "--to", "api");
    const ui = await cli(
      "export",
      MODULE,
      "--to",
      "ui",
      "--object-info",
      "object_info.json",
      "-o",
      "flow.ui.json",
    );
    expect(ui.code).toBe(ExitCode.ok);
    expect(ui.err).toBe("wrote flow.ui.json (3 nodes)\n");
    const back = await cli("import", "flow.ui.json", "--object-info", "object_info.json", "--to", "api");
    expect(back.code).toBe(ExitCode.ok);
    const strip = (p: Record<string, { class_type: string; inputs: unknown }>) =>
      Object.fromEntries(
        Object.entries(p).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]),
      );
    expect(strip(JSON.parse(back.out))).toEqual(strip(JSON.parse(api.out)));
    // The UI file is what the editor reads: version 0.4, laid out, widget values in editor order.
    const doc = JSON.parse(await readFile(join(dir, "flow.ui.json"), "utf8"));
    expect(doc.version).toBe(0.4);
    expect(doc.nodes.find((n: { type: string }) => n.type === "EmptyImage").widgets_values).toEqual([
      16, 12, 1, 0xff0000,
    ]);
  });

  it("an unchanged output file is not rewritten", async () => {
    await cli("export", MODULE, "--to", "api", "-o", "out.json");
    const again = await cli("export", MODULE, "--to", "api", "-o", "out.json");
    expect(again.err).toBe("unchanged out.json (3 nodes)\n");
  });

  it.each([
    [["export", MODULE], /give --to ui or --to api/],
    [["export", "--to", "api"], /give the MODULE to export/],
    [["export", MODULE, "--to", "api", "--timeout", "-5"], /--timeout must be a number of seconds > 0/],
    [["export", MODULE, "--to", "ui", "--url", "http://x", "--timeout", "30000"], /--timeout is in seconds/],
  ])("usage errors: %j", async (args, message) => {
    const { code, err } = await cli(...(args as string[]));
    expect(code).toBe(ExitCode.usage);
    expect(err).toMatch(message);
  });

  it("--to ui without a catalog flag uses the embedded local server's catalog, and says so", async () => {
    const { code, out, err } = await cli("export", MODULE, "--to", "ui", "-o", "poster.workflow.json");
    expect(code).toBe(ExitCode.ok);
    expect(out).toBe("");
    expect(err).toBe(
      "no --object-info, --url or COMFYUI_URL: using the catalog of the embedded local server\n" +
        "wrote poster.workflow.json (3 nodes)\n",
    );
    const doc = JSON.parse(await readFile(join(dir, "poster.workflow.json"), "utf8"));
    expect(doc.nodes.map((n: { type: string }) => n.type).sort()).toEqual([
      "EmptyImage",
      "ImageInvert",
      "SaveImage",
    ]);
  });

  it("--to ui without a catalog flag reads the server COMFYUI_URL names; an absent one is a server error", async () => {
    const { code, err } = await cliWith(
      { COMFYUI_URL: "http://127.0.0.1:9" },
      "export",
      MODULE,
      "--to",
      "ui",
    );
    expect(code).toBe(ExitCode.server);
    expect(err).toMatch(
      /^no --object-info or --url: using the catalog of COMFYUI_URL \(http:\/\/127\.0\.0\.1:9\)\n/,
    );
    expect(err).toMatch(/comfy-ts export: cannot reach http:\/\/127\.0\.0\.1:9\/object_info/);
  });

  it("--export picks a workflow; a missing one is an input error", async () => {
    expect((await cli("export", MODULE, "--to", "api", "--export", "broken")).code).toBe(ExitCode.ok);
    const missing = await cli("export", MODULE, "--to", "api", "--export", "nope");
    expect(missing.code).toBe(ExitCode.input);
    expect(missing.err).toMatch(/has no export "nope"/);
  });
});

describe("comfy-ts import", () => {
  const ui = {
    last_node_id: 3,
    last_link_id: 2,
    nodes: [
      {
        id: 1,
        type: "EmptyImage",
        pos: [0, 0],
        size: [200, 100],
        mode: 0,
        outputs: [{ name: "IMAGE", type: "IMAGE", links: [1] }],
        widgets_values: [8, 8, 1, 255],
      },
      {
        id: 2,
        type: "ImageInvert",
        pos: [0, 0],
        size: [200, 100],
        mode: 0,
        inputs: [{ name: "image", type: "IMAGE", link: 1 }],
        outputs: [{ name: "IMAGE", type: "IMAGE", links: [2] }],
      },
      {
        id: 3,
        type: "SaveImage",
        title: "Result",
        pos: [0, 0],
        size: [200, 100],
        mode: 0,
        inputs: [{ name: "images", type: "IMAGE", link: 2 }],
        widgets_values: ["inverted"],
      },
      { id: 4, type: "Note", pos: [0, 0], size: [200, 100], mode: 0, widgets_values: ["remember"] },
    ],
    links: [
      [1, 1, 0, 2, 0, "IMAGE"],
      [2, 2, 0, 3, 0, "IMAGE"],
    ],
    version: 0.4,
  };

  it("UI workflow → API prompt", async () => {
    await writeFile(join(dir, "wf.json"), JSON.stringify(ui));
    const { code, out } = await cli("import", "wf.json", "--object-info", "object_info.json", "--to", "api");
    expect(code).toBe(ExitCode.ok);
    expect(JSON.parse(out)).toEqual({
      "1": {
        inputs: { width: 8, height: 8, batch_size: 1, color: 255 },
        class_type: "EmptyImage",
        _meta: { title: "EmptyImage" },
      },
      "2": { inputs: { image: ["1", 0] }, class_type: "ImageInvert", _meta: { title: "Invert Image" } },
      "3": {
        inputs: { filename_prefix: "inverted", images: ["2", 0] },
        class_type: "SaveImage",
        _meta: { title: "Result" },
      },
    });
  });

  it("UI workflow → TS module on factories from `comfy-ts codegen` → compile gives the API prompt back", async () => {
    await writeFile(join(dir, "wf.json"), JSON.stringify(ui));
    const api = JSON.parse(
      (await cli("import", "wf.json", "--object-info", "object_info.json", "--to", "api")).out,
    );
    expect((await cli("codegen", "--input", "object_info.json", "--out", "comfy", "--quiet")).code).toBe(
      ExitCode.ok,
    );
    const ts = await cli("import", "wf.json", "--object-info", "object_info.json", "-o", "wf.ts");
    expect(ts.code).toBe(ExitCode.ok);
    const text = await readFile(join(dir, "wf.ts"), "utf8");
    expect(text).toContain("export const wf = workflow(() => {");
    expect(text).toContain('from "./comfy/nodes.js";');
    expect(text).toContain(
      'const result = SaveImage({ filename_prefix: "inverted", images: imageInvert }, { title: "Result" });',
    );
    const mod = (await import(/* @vite-ignore */ join(dir, "wf.ts"))) as {
      wf: Parameters<typeof compile>[0];
    };
    // The editor's default titles are left out of the module; compile gives them with `titles: "display-name"`.
    expect(compile(mod.wf, { titles: "display-name" })).toEqual(api);
  });

  it("API prompt → UI workflow", async () => {
    await writeFile(
      join(dir, "p.json"),
      JSON.stringify({
        "1": { class_type: "EmptyImage", inputs: { width: 4, height: 4, batch_size: 1, color: 0 } },
      }),
    );
    const { code, out } = await cli("import", "p.json", "--object-info", "object_info.json", "--to", "ui");
    expect(code).toBe(ExitCode.ok);
    const doc = JSON.parse(out);
    expect(uiToApi(doc, parseCatalogText(JSON.stringify(OBJECT_INFO)))["1"]?.inputs).toEqual({
      width: 4,
      height: 4,
      batch_size: 1,
      color: 0,
    });
  });

  it.each([
    [
      "a truncated file",
      '{"nodes": [{"id": 1, "type": "EmptyImage"',
      ExitCode.input,
      /^comfy-ts import: t\.json: invalid JSON at line 1, column \d+: .*truncated/,
    ],
    [
      "links to a missing node",
      JSON.stringify({ ...ui, nodes: ui.nodes.slice(1) }),
      ExitCode.input,
      /input of node 2 \(ImageInvert\) is connected by link 1 to node 1, which is not in the workflow/,
    ],
    [
      "an unknown version",
      JSON.stringify({ ...ui, version: 7 }),
      ExitCode.input,
      /unsupported UI workflow version 7/,
    ],
    ["no workflow at all", '{"a": 1}', ExitCode.input, /not a ComfyUI workflow/],
  ])("%s → a clear error", async (_name, text, exit, message) => {
    await writeFile(join(dir, "t.json"), text);
    const { code, err } = await cli("import", "t.json", "--object-info", "object_info.json", "--to", "api");
    expect(code).toBe(exit);
    expect(err).toMatch(message);
  });

  it("--to api warns about a link to a node the prompt lacks, naming node and input", async () => {
    await writeFile(
      join(dir, "dangling.json"),
      JSON.stringify({ "2": { class_type: "ImageInvert", inputs: { image: ["9", 0] } } }),
    );
    const { code, err } = await cli("import", "dangling.json", "--to", "api");
    expect(code).toBe(ExitCode.ok);
    expect(err).toBe(
      'warning: node 2 (ImageInvert): input "image" links to node 9, which is not in the prompt (written as is; ComfyUI will refuse it)\n',
    );
  });

  it("a UI workflow without a catalog flag is converted with the embedded local server's catalog", async () => {
    await writeFile(join(dir, "wf.json"), JSON.stringify(ui));
    const { code, out, err } = await cli("import", "wf.json", "--to", "api");
    expect(err).toBe(
      "no --object-info, --url or COMFYUI_URL: using the catalog of the embedded local server\n",
    );
    expect(code).toBe(ExitCode.ok);
    expect(Object.keys(JSON.parse(out)).length).toBeGreaterThan(0);
  });

  it("a class the catalog lacks: an error naming it, or untyped with --keep-unknown", async () => {
    await writeFile(join(dir, "p.json"), JSON.stringify({ "1": { class_type: "Fancy", inputs: { x: 1 } } }));
    const failed = await cli("import", "p.json", "--object-info", "object_info.json");
    expect(failed.code).toBe(ExitCode.input);
    expect(failed.err).toMatch(/the catalog lacks "Fancy"/);
    const kept = await cli("import", "p.json", "--object-info", "object_info.json", "--keep-unknown");
    expect(kept.code).toBe(ExitCode.ok);
    expect(kept.out).toContain('const fancy = node("Fancy", { x: 1 });');
  });

  it("a class the catalog lists but could not read: an error that says so, and why", async () => {
    const broken = { ...OBJECT_INFO, Fancy: { input: { required: { x: 42 } }, output: ["IMAGE"] } };
    await writeFile(join(dir, "broken_info.json"), JSON.stringify(broken));
    await writeFile(join(dir, "p.json"), JSON.stringify({ "1": { class_type: "Fancy", inputs: { x: 1 } } }));
    for (const to of ["ts", "ui"]) {
      const failed = await cli("import", "p.json", "--object-info", "broken_info.json", "--to", to);
      expect(failed.code).toBe(ExitCode.input);
      expect(failed.err).toMatch(
        /the catalog has "Fancy", but its definition could not be read \(input\.required\.x: input spec must be/,
      );
      expect(failed.err).not.toContain("lacks");
      expect(failed.err).not.toContain("install those node packs");
    }
  });

  it("a PNG without metadata → a clear error", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000049454e44ae426082", "hex");
    await writeFile(join(dir, "plain.png"), png);
    const { code, err } = await cli("import", "plain.png", "--to", "api");
    expect(code).toBe(ExitCode.input);
    expect(err).toMatch(/plain\.png: this PNG has no ComfyUI workflow/);
  });

  const saved = sharedFixture("reference-outputs", "cases", "g018_scale_bicubic_width0_height96", "3_0.png");
  it.skipIf(!saved)("a PNG saved by ComfyUI → its API prompt [real data: reference-outputs]", async () => {
    const { code, out } = await cli("import", saved!, "--to", "api");
    expect(code).toBe(ExitCode.ok);
    const sent = parseWorkflowJson(await readFile(join(saved!, "../prompt.json"), "utf8")) as {
      prompt: unknown;
    };
    expect(JSON.parse(out)).toEqual(sent.prompt);
  });
});

describe("comfy-ts import --to ui from an image", () => {
  it("extracts the stored UI workflow (its own layout) rather than laying out the prompt", async () => {
    {
      const workflow = {
        nodes: [{ id: 7, type: "Note", pos: [12, 34], size: [100, 60], widgets_values: ["hi"] }],
        links: [],
        version: 0.4,
      };
      const prompt = {
        "1": { class_type: "EmptyImage", inputs: { width: 1, height: 1, batch_size: 1, color: 0 } },
      };
      await writeFile(
        join(dir, "saved.png"),
        pngWithText({ prompt: JSON.stringify(prompt), workflow: JSON.stringify(workflow) }),
      );
      const { code, out } = await cli("import", "saved.png", "--to", "ui");
      expect(code).toBe(ExitCode.ok);
      expect(JSON.parse(out)).toEqual(workflow);
      const api = await cli("import", "saved.png", "--to", "api");
      expect(JSON.parse(api.out)).toEqual(prompt);
    }
  });
});

/** A 1×1 PNG with tEXt chunks (CRCs are not checked by the reader, but are written correctly). */
function pngWithText(texts: Record<string, string>): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    chunk("IHDR", ihdr),
    ...Object.entries(texts).map(([k, v]) => chunk("tEXt", Buffer.from(`${k}\0${v}`, "latin1"))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
