import { describe, expect, it } from "vitest";
import { originAllowed } from "../../src/http/origin-guard.js";

describe("originAllowed (ComfyUI's origin guard)", () => {
  it.each([
    ["no Origin header", "127.0.0.1:8188", undefined, true],
    ["same host and port", "127.0.0.1:8188", "http://127.0.0.1:8188", true],
    ["localhost page on the same port", "localhost:8188", "http://localhost:8188", true],
    ["a web page on another site", "127.0.0.1:8188", "https://evil.example", false],
    ["another local port", "127.0.0.1:8188", "http://127.0.0.1:3000", false],
    ["origin without port matches the host name", "127.0.0.1:8188", "http://127.0.0.1", true],
    ["localhost vs 127.0.0.1", "localhost:8188", "http://127.0.0.1:8188", false],
    ["IPv6 loopback", "[::1]:8188", "http://[::1]:8188", true],
    ["IPv6 loopback, other site", "[::1]:8188", "http://evil.example:8188", false],
    ["non-loopback host is not checked", "192.168.1.5:8188", "https://evil.example", true],
    ["unparsable origin", "127.0.0.1:8188", "null", true],
  ])("%s", (_name, host, origin, allowed) => {
    expect(originAllowed({ host, origin })).toBe(allowed);
  });
});
