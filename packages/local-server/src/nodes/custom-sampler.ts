import { SAMPLER_NAMES, SCHEDULER_NAMES } from "../sampling/names.js";
import { linspace } from "../tensor/linspace.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import {
  BOOLEAN,
  COMBO,
  defineNode,
  FLOAT,
  INT,
  type InputSpec,
  listedOnly,
  out,
  T,
  U64_MAX,
} from "./define.js";
import type { NoiseObject, SamplerObject } from "./socket-types.js";

// comfy_extras/nodes_custom_sampler.py

const R = (o: Record<string, unknown>) => FLOAT({ ...o, round: false });
const ETA = R({ default: 1.0, min: 0.0, max: 100.0, step: 0.01 });
const S_NOISE = R({ default: 1.0, min: 0.0, max: 100.0, step: 0.01 });
const NOISE_DEVICE = COMBO(["gpu", "cpu"]);

function sampler(
  name: string,
  samplerName: string,
  required: Record<string, InputSpec>,
  display?: string,
  extra: { module?: string; category?: string; v3?: boolean; experimental?: boolean } = {},
) {
  return defineNode(
    {
      name,
      ...(display !== undefined ? { display } : {}),
      category: extra.category ?? "sampling/custom_sampling/samplers",
      module: extra.module ?? "comfy_extras.nodes_custom_sampler",
      ...(extra.v3 ? { v3: true } : {}),
      ...(extra.experimental ? { experimental: true } : {}),
      required,
      outputs: [["SAMPLER"]],
    },
    (inputs) => out({ kind: "sampler", name: samplerName, options: { ...inputs } } satisfies SamplerObject),
  );
}

const kSamplerSelect = defineNode(
  {
    name: "KSamplerSelect",
    category: "sampling/custom_sampling/samplers",
    module: "comfy_extras.nodes_custom_sampler",
    required: { sampler_name: COMBO(SAMPLER_NAMES) },
    outputs: [["SAMPLER"]],
  },
  (inputs) => out({ kind: "sampler", name: inputs.sampler_name, options: {} } satisfies SamplerObject),
);

const samplerNodes = [
  kSamplerSelect,
  sampler("SamplerEulerAncestral", "euler_ancestral", { eta: ETA, s_noise: S_NOISE }),
  sampler(
    "SamplerEulerAncestralCFGPP",
    "euler_ancestral_cfg_pp",
    {
      eta: R({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      s_noise: R({ default: 1.0, min: 0.0, max: 10.0, step: 0.01 }),
    },
    "SamplerEulerAncestralCFG++",
  ),
  sampler("SamplerLMS", "lms", { order: INT({ default: 4, min: 1, max: 100 }) }),
  sampler("SamplerDPMPP_3M_SDE", "dpmpp_3m_sde", { eta: ETA, s_noise: S_NOISE, noise_device: NOISE_DEVICE }),
  sampler("SamplerDPMPP_2M_SDE", "dpmpp_2m_sde", {
    solver_type: COMBO(["midpoint", "heun"]),
    eta: ETA,
    s_noise: S_NOISE,
    noise_device: NOISE_DEVICE,
  }),
  sampler("SamplerDPMPP_SDE", "dpmpp_sde", {
    eta: ETA,
    s_noise: S_NOISE,
    r: R({ default: 0.5, min: 0.0, max: 100.0, step: 0.01 }),
    noise_device: NOISE_DEVICE,
  }),
  sampler("SamplerDPMPP_2S_Ancestral", "dpmpp_2s_ancestral", { eta: ETA, s_noise: S_NOISE }),
  sampler("SamplerDPMAdaptative", "dpm_adaptive", {
    order: INT({ default: 3, min: 2, max: 3 }),
    rtol: R({ default: 0.05, min: 0.0, max: 100.0, step: 0.01 }),
    atol: R({ default: 0.0078, min: 0.0, max: 100.0, step: 0.01 }),
    h_init: R({ default: 0.05, min: 0.0, max: 100.0, step: 0.01 }),
    pcoeff: R({ default: 0.0, min: 0.0, max: 100.0, step: 0.01 }),
    icoeff: R({ default: 1.0, min: 0.0, max: 100.0, step: 0.01 }),
    dcoeff: R({ default: 0.0, min: 0.0, max: 100.0, step: 0.01 }),
    accept_safety: R({ default: 0.81, min: 0.0, max: 100.0, step: 0.01 }),
    eta: R({ default: 0.0, min: 0.0, max: 100.0, step: 0.01 }),
    s_noise: S_NOISE,
  }),
  sampler("SamplerER_SDE", "er_sde", {
    solver_type: ["COMBO", { options: ["ER-SDE", "Reverse-time SDE", "ODE"] }],
    max_stage: INT({ default: 3, min: 1, max: 3 }),
    eta: R({
      default: 1.0,
      min: 0.0,
      max: 100.0,
      step: 0.01,
      tooltip:
        "Stochastic strength of reverse-time SDE.\nWhen eta=0, it reduces to deterministic ODE. This setting doesn't apply to ER-SDE solver type.",
    }),
    s_noise: S_NOISE,
  }),
  defineNode(
    {
      name: "RandomNoise",
      category: "sampling/custom_sampling/noise",
      module: "comfy_extras.nodes_custom_sampler",
      required: { noise_seed: INT({ default: 0, min: 0, max: U64_MAX, control_after_generate: true }) },
      outputs: [["NOISE"]],
    },
    (inputs) =>
      out({
        kind: "noise",
        seed: BigInt(inputs.noise_seed),
      } satisfies NoiseObject),
  ),
  defineNode(
    {
      name: "DisableNoise",
      category: "sampling/custom_sampling/noise",
      module: "comfy_extras.nodes_custom_sampler",
      required: {},
      outputs: [["NOISE"]],
    },
    () => out({ kind: "noise", seed: undefined } satisfies NoiseObject),
  ),
];

const f = Math.fround;
const STEPS = INT({ default: 20, min: 1, max: 10000 });
const SIGMA_MAX = FLOAT({ default: 14.614642, min: 0.0, max: 5000.0, step: 0.01, round: false });
const SIGMA_MIN = FLOAT({ default: 0.0291675, min: 0.0, max: 5000.0, step: 0.01, round: false });

/** `append_zero`: the sigmas followed by one 0. */
function appendZero(t: Tensor): Tensor {
  const data = new Float32Array(t.data.length + 1);
  data.set(t.data);
  return tensor([data.length], data);
}

const karrasScheduler = defineNode(
  {
    name: "KarrasScheduler",
    category: "sampling/custom_sampling/schedulers",
    module: "comfy_extras.nodes_custom_sampler",
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

const exponentialScheduler = defineNode(
  {
    name: "ExponentialScheduler",
    category: "sampling/custom_sampling/schedulers",
    module: "comfy_extras.nodes_custom_sampler",
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

const polyexponentialScheduler = defineNode(
  {
    name: "PolyexponentialScheduler",
    category: "sampling/custom_sampling/schedulers",
    module: "comfy_extras.nodes_custom_sampler",
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

const vpScheduler = defineNode(
  {
    name: "VPScheduler",
    category: "sampling/custom_sampling/schedulers",
    module: "comfy_extras.nodes_custom_sampler",
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

const laplaceScheduler = defineNode(
  {
    name: "LaplaceScheduler",
    category: "sampling/custom_sampling/schedulers",
    module: "comfy_extras.nodes_custom_sampler",
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

const COND = T("CONDITIONING");
const CFG = FLOAT({ default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 });

export const nodes = [
  karrasScheduler,
  exponentialScheduler,
  polyexponentialScheduler,
  vpScheduler,
  laplaceScheduler,
  ...samplerNodes,
  listedOnly({
    name: "SamplerCustom",
    category: "sampling/custom_sampling",
    module: "comfy_extras.nodes_custom_sampler",
    required: {
      model: T("MODEL"),
      add_noise: BOOLEAN({ default: true }),
      noise_seed: INT({ default: 0, min: 0, max: U64_MAX, control_after_generate: true }),
      cfg: CFG,
      positive: COND,
      negative: COND,
      sampler: T("SAMPLER"),
      sigmas: T("SIGMAS"),
      latent_image: T("LATENT"),
    },
    outputs: [
      ["LATENT", "output"],
      ["LATENT", "denoised_output"],
    ],
  }),
  listedOnly({
    name: "SamplerCustomAdvanced",
    category: "sampling/custom_sampling",
    module: "comfy_extras.nodes_custom_sampler",
    required: {
      noise: T("NOISE"),
      guider: T("GUIDER"),
      sampler: T("SAMPLER"),
      sigmas: T("SIGMAS"),
      latent_image: T("LATENT"),
    },
    outputs: [
      ["LATENT", "output"],
      ["LATENT", "denoised_output"],
    ],
  }),
  listedOnly({
    name: "BasicScheduler",
    category: "sampling/custom_sampling/schedulers",
    module: "comfy_extras.nodes_custom_sampler",
    required: {
      model: T("MODEL"),
      scheduler: COMBO(SCHEDULER_NAMES),
      steps: INT({ default: 20, min: 1, max: 10000 }),
      denoise: FLOAT({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
    },
    outputs: [["SIGMAS"]],
  }),
  listedOnly({
    name: "CFGGuider",
    category: "sampling/custom_sampling/guiders",
    module: "comfy_extras.nodes_custom_sampler",
    required: { model: T("MODEL"), positive: COND, negative: COND, cfg: CFG },
    outputs: [["GUIDER"]],
  }),
  listedOnly({
    name: "BasicGuider",
    category: "sampling/custom_sampling/guiders",
    module: "comfy_extras.nodes_custom_sampler",
    required: { model: T("MODEL"), conditioning: COND },
    outputs: [["GUIDER"]],
  }),
];
