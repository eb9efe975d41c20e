/**
 * Instantiating libfaust's WebAssembly modules as faustwasm does: the imports a Faust module expects
 * (faustwasm's math functions, so the same samples) and the exports the nodes call on a DSP and on
 * faustwasm's voice mixer. Shared by the mono and poly nodes.
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
export function faustImports(memory: WebAssembly.Memory | undefined): WebAssembly.Imports {
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
