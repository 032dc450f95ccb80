import { ComfyError } from "../errors.js";
import { formatLocation, type SourceLocation } from "../graph/source-location.js";

/** A graph that cannot be turned into a prompt; the message names the node and where it was made. */
export class CompileError extends ComfyError {
  readonly nodeId: string | undefined;
  readonly classType: string | undefined;
  readonly input: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(
    code: "duplicate_node_id" | "invalid_input_value" | "several_outputs" | "invalid_target" | "cycle",
    details: {
      nodeId?: string;
      classType?: string;
      input?: string;
      location?: SourceLocation | undefined;
      reason: string;
    },
  ) {
    const where = [
      details.classType && `${details.classType}${details.nodeId ? ` (node ${details.nodeId})` : ""}`,
      details.input && `input "${details.input}"`,
      details.location && `at ${formatLocation(details.location)}`,
    ]
      .filter(Boolean)
      .join(", ");
    super(code, where ? `${where}: ${details.reason}` : details.reason);
    this.nodeId = details.nodeId;
    this.classType = details.classType;
    this.input = details.input;
    this.location = details.location;
  }
}
