/**
 * Instantiating libfaust's WebAssembly modules as faustwasm does: the imports a Faust module expects
 * (faustwasm's math functions, so the same samples) and the exports the nodes call on a DSP and on
 * faustwasm's voice mixer. Shared by the mono and poly nodes.
 *
 * The exports are checked once, at instantiation, and then called on the instance's own exports
 * object, so the nodes call WebAssembly directly on the audio path.
 */

export interface FaustDspExports {
  compute(dsp: number, count: number, inputs: number, outputs: number): void;
  init(dsp: number, sampleRate: number): void;
  instanceClear(dsp: number): void;
  setParamValue(dsp: number, zone: number, value: number): void;
  getParamValue(dsp: number, zone: number): number;
  memory?: WebAssembly.Memory;
}

export interface FaustMixerExports {
  clearOutput(count: number, channels: number, outputs: number): void;
  mixCheckVoice(count: number, channels: number, inputs: number, outputs: number): number;
  fadeOut(count: number, channels: number, outputs: number): void;
}

/**
 * The math functions Faust modules import, exactly as faustwasm's FaustWasmInstantiator supplies
 * them (same results, so the same samples).
 */
function faustImports(memory: WebAssembly.Memory | undefined): WebAssembly.Imports {
  const fmod = (x: number, y: number) => x % y;
  const remainder = (x: number, y: number) => x - Math.round(x / y) * y;
  const isinf = (x: number) => !Number.isFinite(x);
  const copysign = (x: number, y: number) => (Math.sign(x) === Math.sign(y) ? x : -x);
  const env: Record<string, unknown> = {
    memory: memory ?? new WebAssembly.Memory({ initial: 1 }),
    memoryBase: 0,
    tableBase: 0,
    _abs: Math.abs,
    table: new WebAssembly.Table({ initial: 0, element: "anyfunc" }),
  };
  const unary = {
    acos: Math.acos,
    asin: Math.asin,
    atan: Math.atan,
    ceil: Math.ceil,
    cos: Math.cos,
    exp: Math.exp,
    floor: Math.floor,
    log: Math.log,
    log10: Math.log10,
    round: Math.round,
    sin: Math.sin,
    sqrt: Math.sqrt,
    tan: Math.tan,
    acosh: Math.acosh,
    asinh: Math.asinh,
    atanh: Math.atanh,
    cosh: Math.cosh,
    sinh: Math.sinh,
    tanh: Math.tanh,
    isnan: Number.isNaN,
    isinf,
    atan2: Math.atan2,
    fmod,
    pow: Math.pow,
    remainder,
    copysign,
  };
  for (const [name, fn] of Object.entries(unary)) {
    env[`_${name}`] = fn;
    env[`_${name}f`] = fn;
  }
  env._max_ = Math.max;
  env._min_ = Math.min;
  env._max_f = Math.max;
  env._min_f = Math.min;
  return { env: env as WebAssembly.ModuleImports };
}

export function importsMemory(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((entry) => entry.kind === "memory");
}

const DSP_FUNCTIONS = ["compute", "init", "instanceClear", "setParamValue", "getParamValue"] as const;
const MIXER_FUNCTIONS = ["clearOutput", "mixCheckVoice", "fadeOut"] as const;

function exportsFunctions(exports: WebAssembly.Exports, names: readonly string[]): boolean {
  return names.every((name) => typeof exports[name] === "function");
}

function isDspExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & FaustDspExports {
  return (
    exportsFunctions(exports, DSP_FUNCTIONS) &&
    (exports.memory === undefined || exports.memory instanceof WebAssembly.Memory)
  );
}

function isMixerExports(exports: WebAssembly.Exports): exports is WebAssembly.Exports & FaustMixerExports {
  return exportsFunctions(exports, MIXER_FUNCTIONS);
}

/**
 * Instantiates a Faust DSP module (a mono DSP, a poly voice or `effect`) on `memory` when it imports
 * one (undefined: a memory of its own).
 */
export function instantiateDsp(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory | undefined,
): FaustDspExports {
  const { exports } = new WebAssembly.Instance(module, faustImports(memory));
  if (!isDspExports(exports))
    throw new Error(`not a Faust DSP module: it must export ${DSP_FUNCTIONS.join(", ")}`);
  return exports;
}

/** Instantiates faustwasm's voice mixer on the voices' memory. */
export function instantiateMixer(module: WebAssembly.Module, memory: WebAssembly.Memory): FaustMixerExports {
  const { exports } = new WebAssembly.Instance(module, { imports: { print: () => {} }, memory: { memory } });
  if (!isMixerExports(exports))
    throw new Error(`not faustwasm's mixer module: it must export ${MIXER_FUNCTIONS.join(", ")}`);
  return exports;
}
