// A stand-in for "the same graph on another server build": an HTTP + WebSocket proxy in front of a local
// server that reports other versions in /system_stats (so its environment key differs) and serves its
// PNG outputs with one sample off by one (as another torch or ComfyUI build may render).
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { decodePng, encodePng } from "@comfy-ts/core/png";

export interface OtherBuildProxy {
  readonly url: string;
  close(): Promise<void>;
}

export interface OtherBuild {
  readonly comfyuiVersion: string;
  readonly pytorchVersion: string;
  readonly deviceName: string;
}

async function body(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first sample of the image one level brighter (or darker at 255), in the file's own layout. */
function offByOne(png: Buffer): Uint8Array {
  const decoded = decodePng(png);
  const data = new Uint8Array(decoded.samples as Uint8Array);
  data[0] = data[0] === 255 ? 254 : data[0]! + 1;
  return encodePng({
    width: decoded.width,
    height: decoded.height,
    data,
    channels: decoded.channels as 1 | 2 | 3 | 4,
  });
}

export async function startOtherBuildProxy(target: string, build: OtherBuild): Promise<OtherBuildProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const sent = await body(req);
    const reply = await new Promise<IncomingMessage>((resolve, reject) => {
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        resolve,
      );
      forward.on("error", reject);
      forward.end(sent);
    });
    let payload = await body(reply);
    const path = (req.url ?? "").split("?")[0];
    if (path === "/system_stats" && reply.statusCode === 200) {
      const stats = JSON.parse(payload.toString("utf8"));
      stats.system.comfyui_version = build.comfyuiVersion;
      stats.system.pytorch_version = build.pytorchVersion;
      stats.devices[0].name = build.deviceName;
      payload = Buffer.from(JSON.stringify(stats));
    } else if (path === "/view" && reply.headers["content-type"] === "image/png") {
      payload = Buffer.from(offByOne(payload));
    }
    const headers = { ...reply.headers, "content-length": String(payload.length) };
    delete headers["transfer-encoding"];
    res.writeHead(reply.statusCode ?? 502, headers);
    res.end(payload);
  };
  const server = createServer((req, res) => {
    answer(req, res).catch(() => res.destroy());
  });
  // WebSocket upgrades are piped through untouched.
  server.on("upgrade", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const up = connect(Number(upstream.port), upstream.hostname);
    for (const s of [client, up]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      lines.push(`${name}: ${name.toLowerCase() === "host" ? upstream.host : req.rawHeaders[i + 1]}`);
    }
    up.write(`${lines.join("\r\n")}\r\n\r\n`);
    up.write(head);
    client.pipe(up).pipe(client);
    client.on("close", () => up.destroy());
    up.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
