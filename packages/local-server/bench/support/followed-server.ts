import { afterAll } from "vitest";
import { type LocalServer, startLocalServer } from "../../src/index.js";
import { WsRecorder } from "../../test/support/ws-recorder.js";

export interface FollowedServer {
  readonly server: LocalServer;
  /** A client following every message, as a user's client would (client id "bench"). */
  readonly ws: WsRecorder;
}

/**
 * A local server started on first use (benches run no hooks around them) with a WebSocket client
 * connected; both close after the file's benches.
 */
export function followedServer(): () => Promise<FollowedServer> {
  let ready: Promise<FollowedServer> | undefined;
  afterAll(async () => {
    const r = await ready;
    r?.ws.close();
    await r?.server.close();
  });
  return () =>
    (ready ??= (async () => {
      const server = await startLocalServer();
      return { server, ws: await WsRecorder.connect(server.url, "bench") };
    })());
}
