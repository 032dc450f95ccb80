import type { Tensor } from "../tensor/tensor.js";

const LINEWIDTH = 80;
const PRECISION = 4;

function sci(v: number, width = 0): string {
  const [m, e] = v.toExponential(PRECISION).split("e") as [string, string];
  const exp = Number(e);
  const s = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return s.padStart(width);
}

/** `str(t)` of a 1-D float tensor as torch prints it (fixed, integer or scientific mode; 80-column lines). */
export function torchRepr(t: Tensor): string {
  const values = Array.from(t.data);
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  let mode: "fixed" | "int" | "sci" = "fixed";
  let width = 1;
  if (finite.length > 0) {
    const min = Math.min(...finite);
    const max = Math.max(...finite);
    const intMode = values.filter((v) => Number.isFinite(v) && v !== 0).every((v) => v === Math.ceil(v));
    if (intMode) {
      mode = max / min > 1000 || max > 1e8 ? "sci" : "int";
    } else {
      mode = max / min > 1000 || max > 1e8 || min < 1e-4 ? "sci" : "fixed";
    }
    for (const v of values.filter((x) => Number.isFinite(x) && x !== 0)) {
      const s = mode === "sci" ? sci(v) : mode === "int" ? `${v.toFixed(0)}.` : v.toFixed(PRECISION);
      width = Math.max(width, s.length);
    }
  }
  const fmt = (v: number): string => {
    let s: string;
    if (Number.isNaN(v)) s = "nan";
    else if (!Number.isFinite(v)) s = v > 0 ? "inf" : "-inf";
    else if (mode === "sci") s = sci(v, width);
    else if (mode === "int") s = `${v.toFixed(0)}.`;
    else s = v.toFixed(PRECISION);
    return s.padStart(width);
  };
  const indent = "tensor(".length;
  const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (width + 2)));
  const items = values.map(fmt);
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
  return `tensor([${lines.join(`,\n${" ".repeat(indent + 1)}`)}])`;
}
