// A TCP proxy in front of a ComfyUI-compatible server that passes HTTP through and cuts the
// WebSocket right after the server sends a given event — a socket dropped mid-job, for real.
import { connect, createServer, type Socket } from "node:net";

export interface SocketCuttingProxy {
  readonly url: string;
  /** WebSocket upgrades seen (the first one and every reconnect attempt). */
  readonly upgrades: number;
  /** Sockets cut after the event. */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startSocketCuttingProxy(
  target: string,
  options: {
    /** The `type` of the server message after which the socket is cut, e.g. `execution_start`. */
    readonly afterEvent: string;
    /** Refuse reconnects once a socket was cut (the client must finish by polling /history). */
    readonly refuseReconnect: boolean;
    /** Once a socket was cut, drop every new connection, HTTP too: the server is gone mid-job. */
    readonly serverGoneAfterCut?: boolean;
  },
): Promise<SocketCuttingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let upgrades = 0;
  let cuts = 0;
  const marker = Buffer.from(`"${options.afterEvent}"`);
  const server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    client.once("data", (first: Buffer) => {
      const isUpgrade = /^GET [^\r\n]*\/ws\b/.test(first.toString("latin1"));
      if (cuts > 0 && options.serverGoneAfterCut) {
        client.destroy();
        return;
      }
      if (isUpgrade) {
        upgrades++;
        if (cuts > 0 && options.refuseReconnect) {
          client.destroy();
          return;
        }
      }
      const upstream = connect(Number(port), hostname);
      sockets.add(upstream);
      upstream.on("close", () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.write(first);
      client.pipe(upstream);
      if (!isUpgrade) {
        upstream.pipe(client);
        return;
      }
      // Server → client: the 101 answer, then unmasked frames, forwarded one whole frame at a time.
      let pending = Buffer.alloc(0);
      let headerDone = false;
      upstream.on("data", (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        if (!headerDone) {
          const end = pending.indexOf("\r\n\r\n");
          if (end < 0) return;
          client.write(pending.subarray(0, end + 4));
          pending = pending.subarray(end + 4);
          headerDone = true;
        }
        for (;;) {
          const size = frameSize(pending);
          if (size === undefined) return;
          const frame = pending.subarray(0, size);
          pending = pending.subarray(size);
          client.write(frame);
          if (frame.includes(marker)) {
            cuts++;
            client.destroy();
            upstream.destroy();
            return;
          }
        }
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    get upgrades() {
      return upgrades;
    },
    get cuts() {
      return cuts;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

/** Bytes of the first whole frame in `data` (RFC 6455 header, server frames are unmasked), if complete. */
function frameSize(data: Buffer): number | undefined {
  if (data.length < 2) return undefined;
  const length7 = data[1]! & 0x7f;
  let header = 2;
  let length = length7;
  if (length7 === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    header = 4;
  } else if (length7 === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    header = 10;
  }
  if (data[1]! & 0x80) header += 4;
  return data.length >= header + length ? header + length : undefined;
}
