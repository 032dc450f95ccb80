import { linspace } from "../tensor/linspace.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { BOOLEAN, defineNode, FLOAT, INT, out, T } from "./define.js";

const f = Math.fround;
const MOD = "comfy_extras.nodes_custom_sampler";
const CAT = "sampling/custom_sampling/schedulers";
const STEPS = INT({ default: 20, min: 1, max: 10000 });
const SIGMA_MAX = FLOAT({ default: 14.614642, min: 0.0, max: 5000.0, step: 0.01, round: false });
const SIGMA_MIN = FLOAT({ default: 0.0291675, min: 0.0, max: 5000.0, step: 0.01, round: false });

/** `append_zero`: the sigmas followed by one 0. */
function appendZero(t: Tensor): Tensor {
  const data = new Float32Array(t.data.length + 1);
  data.set(t.data);
  return tensor([data.length], data);
}

export const karrasScheduler = defineNode(
  {
    name: "KarrasScheduler",
    category: CAT,
    module: MOD,
    required: {
      steps: STEPS,
      sigma_max: SIGMA_MAX,
      sigma_min: SIGMA_MIN,
      rho: FLOAT({ default: 7.0, min: 0.0, max: 100.0, step: 0.01, round: false }),
    },
    outputs: [["SIGMAS"]],
  },
  (inputs) => {
    const rho = inputs.rho;
    const minInv = inputs.sigma_min ** (1 / rho);
    const maxInv = inputs.sigma_max ** (1 / rho);
    const ramp = linspace(0, 1, inputs.steps);
    const d = f(minInv - maxInv);
    const sigmas = ramp.data.map((r) => f(f(f(maxInv) + f(r * d)) ** f(rho)));
    return out(appendZero(tensor(ramp.shape, sigmas)));
  },
);

export const exponentialScheduler = defineNode(
  {
    name: "ExponentialScheduler",
    category: CAT,
    module: MOD,
    required: { steps: STEPS, sigma_max: SIGMA_MAX, sigma_min: SIGMA_MIN },
    outputs: [["SIGMAS"]],
  },
  (inputs) => {
    const l = linspace(Math.log(inputs.sigma_max), Math.log(inputs.sigma_min), inputs.steps);
    return out(
      appendZero(
        tensor(
          l.shape,
          l.data.map((v) => f(Math.exp(v))),
        ),
      ),
    );
  },
);

export const polyexponentialScheduler = defineNode(
  {
    name: "PolyexponentialScheduler",
    category: CAT,
    module: MOD,
    required: {
      steps: STEPS,
      sigma_max: SIGMA_MAX,
      sigma_min: SIGMA_MIN,
      rho: FLOAT({ default: 1.0, min: 0.0, max: 100.0, step: 0.01, round: false }),
    },
    outputs: [["SIGMAS"]],
  },
  (inputs) => {
    const rho = f(inputs.rho);
    const lmax = Math.log(inputs.sigma_max);
    const lmin = Math.log(inputs.sigma_min);
    const ramp = linspace(1, 0, inputs.steps);
    const sigmas = ramp.data.map((r) => f(Math.exp(f(f(f(r ** rho) * f(lmax - lmin)) + f(lmin)))));
    return out(appendZero(tensor(ramp.shape, sigmas)));
  },
);

export const vpScheduler = defineNode(
  {
    name: "VPScheduler",
    category: CAT,
    module: MOD,
    required: {
      steps: STEPS,
      beta_d: FLOAT({ default: 19.9, min: 0.0, max: 5000.0, step: 0.01, round: false }),
      beta_min: FLOAT({ default: 0.1, min: 0.0, max: 5000.0, step: 0.01, round: false }),
      eps_s: FLOAT({ default: 0.001, min: 0.0, max: 1.0, step: 0.0001, round: false }),
    },
    outputs: [["SIGMAS"]],
  },
  (inputs) => {
    const bd = f(inputs.beta_d);
    const bm = f(inputs.beta_min);
    const t = linspace(1, inputs.eps_s, inputs.steps);
    const sigmas = t.data.map((x) => f(Math.sqrt(f(Math.expm1(f(f(f(bd * f(x * x)) / 2) + f(bm * x)))))));
    return out(appendZero(tensor(t.shape, sigmas)));
  },
);

export const laplaceScheduler = defineNode(
  {
    name: "LaplaceScheduler",
    category: CAT,
    module: MOD,
    required: {
      steps: STEPS,
      sigma_max: SIGMA_MAX,
      sigma_min: SIGMA_MIN,
      mu: FLOAT({ default: 0.0, min: -10.0, max: 10.0, step: 0.1, round: false }),
      beta: FLOAT({ default: 0.5, min: 0.0, max: 10.0, step: 0.1, round: false }),
    },
    outputs: [["SIGMAS"]],
  },
  (inputs) => {
    const mu = f(inputs.mu);
    const beta = f(inputs.beta);
    const lo = inputs.sigma_min;
    const hi = inputs.sigma_max;
    const x = linspace(0, 1, inputs.steps);
    const sigmas = x.data.map((v) => {
      const d = f(0.5 - v);
      const lmb = f(mu - f(f(beta * Math.sign(d)) * f(Math.log(f(f(1 - f(2 * Math.abs(d))) + 1e-5)))));
      return Math.min(hi, Math.max(lo, f(Math.exp(lmb))));
    });
    return out(tensor(x.shape, sigmas));
  },
);

export const ltxvScheduler = defineNode(
  {
    name: "LTXVScheduler",
    category: CAT,
    module: "comfy_extras.nodes_lt",
    v3: true,
    required: {
      steps: INT({ default: 20, min: 1, max: 10000 }),
      max_shift: FLOAT({ default: 2.05, min: 0.0, max: 100.0, step: 0.01 }),
      base_shift: FLOAT({ default: 0.95, min: 0.0, max: 100.0, step: 0.01 }),
      stretch: BOOLEAN({ tooltip: "Stretch the sigmas to be in the range [terminal, 1].", default: true }),
      terminal: FLOAT({
        tooltip: "The terminal value of the sigmas after stretching.",
        default: 0.1,
        min: 0.0,
        max: 0.99,
        step: 0.01,
      }),
    },
    optional: { latent: T("LATENT", {}) },
    outputs: [["SIGMAS"]],
  },
  (inputs) => {
    const { latent } = inputs;
    const tokens = latent ? latent.samples.shape.slice(2).reduce((a, b) => a * b, 1) : 4096;
    const maxShift = inputs.max_shift;
    const baseShift = inputs.base_shift;
    const mm = (maxShift - baseShift) / (4096 - 1024);
    const shift = tokens * mm + (baseShift - mm * 1024);
    const e = Math.exp(shift);
    const s = linspace(1, 0, inputs.steps + 1).data.map((v) => (v !== 0 ? f(e / (e + f(f(1 / v) - 1))) : 0));
    if (inputs.stretch) {
      const nonZero = Array.from(s).filter((v) => v !== 0);
      const last = f(1 - (nonZero.at(-1) ?? 1));
      const scale = f(last / (1 - inputs.terminal));
      for (let i = 0; i < s.length; i++) if (s[i] !== 0) s[i] = f(1 - f(f(1 - (s[i] as number)) / scale));
    }
    return out(tensor([s.length], s));
  },
);
