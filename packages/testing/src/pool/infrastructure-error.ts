import { ComfyTestingError } from "../errors.js";

// Client error codes (`@comfy-ts/core/client` ClientErrorCode) that mean "the server, not the graph".
const INFRA_CODES = new Set([
  "COMFY_CONNECTION",
  "COMFY_TIMEOUT",
  "COMFY_PROMPT_LOST",
  // POST /prompt got no usable answer in its bound: another server runs it (never the same one again).
  "COMFY_OUTCOME_UNKNOWN",
  "ERR_SERVER_UNREACHABLE",
]);

/**
 * True for failures of the infrastructure — server gone, connection refused, a bounded wait ran out,
 * the prompt vanished (server restarted), a submission without a usable answer, HTTP 5xx, interrupted by someone else — which the pool
 * retries on another server. Validation errors, execution errors of a node, and assertion failures
 * are the graph's (or the test's) fault and are never retried.
 */
export function isInfrastructureError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return false;
  if (INFRA_CODES.has(code)) return true;
  if (code === "COMFY_HTTP_STATUS") {
    const status = (error as { status?: unknown }).status;
    return typeof status === "number" && status >= 500;
  }
  if (code === "COMFY_INTERRUPTED") {
    // Interrupted by someone else on the server (not by our AbortSignal): the job did not get to finish.
    return (error as { byUs?: unknown }).byUs !== true && !ComfyTestingError.is(error);
  }
  return false;
}
