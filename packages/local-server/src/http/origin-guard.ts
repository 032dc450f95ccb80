import { isIP } from "node:net";

/**
 * ComfyUI's default origin guard: when the `Host` header names a loopback address and an `Origin`
 * header is present, their host names (ports too when both carry one) must match, or the request
 * is refused with 403. It stops web pages in a browser from queueing prompts or uploading files to
 * a server on localhost. Requests without `Origin` (scripts, tests, the comfy-ts client) pass.
 */
export function originAllowed(headers: { host?: string | undefined; origin?: string | undefined }): boolean {
  const { host, origin } = headers;
  if (!host || !origin) return true;
  const hostParts = splitHost(host.toLowerCase());
  let originParts: { hostname: string; port: string | undefined };
  try {
    const url = new URL(origin.toLowerCase());
    originParts = { hostname: stripBrackets(url.hostname), port: url.port === "" ? undefined : url.port };
  } catch {
    return true;
  }
  if (!isLoopback(hostParts.hostname)) return true;
  // Like ComfyUI, compare ports only when both sides carry one.
  const withPort = (p: { hostname: string; port: string | undefined }) =>
    p.port === undefined ? p.hostname : `${p.hostname}:${p.port}`;
  const hostKey = originParts.port === undefined ? hostParts.hostname : withPort(hostParts);
  const originKey = hostParts.port === undefined ? originParts.hostname : withPort(originParts);
  if (hostKey === "" || originKey === "") return true;
  return hostKey === originKey;
}

function splitHost(host: string): { hostname: string; port: string | undefined } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!m) return { hostname: host, port: undefined };
  return { hostname: stripBrackets(m[1] as string), port: m[2] };
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** Loopback IP literals and `localhost` (ComfyUI also resolves other names; this server does not). */
function isLoopback(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  const version = isIP(hostname);
  if (version === 4) return hostname.startsWith("127.");
  if (version === 6) return hostname === "::1" || hostname === "0:0:0:0:0:0:0:1";
  return false;
}
