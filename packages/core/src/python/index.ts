/**
 * Python's behaviour on JSON values where ComfyUI's answers and files are made of it: `repr`, `str`,
 * `int`, `float`, `bool`, `round`, `==`, `<` and `json.dumps`. The one implementation for validation
 * messages (core) and the local server's nodes and files.
 */
export { pyJsonDumps } from "./json-dumps.js";
export {
  PyFloat,
  PythonException,
  pyBool,
  pyCompare,
  pyEquals,
  pyFloat,
  pyFloatRepr,
  pyInt,
  pyRepr,
  pyRound,
  pyStr,
  pyStrRepr,
  pyTypeName,
} from "./values.js";
