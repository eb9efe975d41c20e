/**
 * Run-time compilation (src/faust/compiler.ts): node ids, the cache, options, and compile errors that
 * carry Faust's message and line.
 */
import { describe, expect, it, vi } from "vitest";
import { isEngineError } from "../../src/contracts/errors";
import { cachedFaustNodeIds, FaustCompileError, faustNodeId } from "../../src/faust/compiler";
import { libFaustCompiler } from "../../src/faust/libfaust";
import { loadLibFaustFromDisk } from "../../src/faust/libfaust-nodejs";
import { compile, faustwasmTestDsp } from "./support";

async function compileError(source: string, options = {}): Promise<FaustCompileError> {
  try {
    await compile(source, options);
  } catch (error) {
    if (error instanceof FaustCompileError) return error;
    throw error;
  }
  throw new Error("expected a compile error");
}

describe("compiling Faust at run time", () => {
  it("names a DSP by a stable hash of its source and options, and compiles it once", async () => {
    const source = 'process = *(hslider("gain", 0.5, 0, 1, 0.01));';
    const first = await compile(source);
    const again = await compile(source, { argv: ["-ftz", "2"], name: "webdreamer" });
    expect(again).toBe(first);
    expect(first.nodeId).toMatch(/^faust:[0-9a-f]{16}$/);
    expect(first.descriptor.node_id).toBe(first.nodeId);
    expect(await faustNodeId(source)).toBe(first.nodeId);
    const ids = await Promise.all([
      faustNodeId(source, { argv: ["-ftz", "1"] }),
      faustNodeId(source, { name: "other" }),
      faustNodeId(source, { voices: 4 }),
      faustNodeId(source, { voices: 4, groupVoices: false }),
      faustNodeId(`${source} `),
      faustNodeId(source, { libraries: { "a.lib": "x = 1;" } }),
    ]);
    expect(new Set([first.nodeId, ...ids]).size).toBe(7);
  });

  it("hashes a source once: its second compile is a lookup, with the same id", async () => {
    const source = 'process = *(hslider("hashed-once", 0.5, 0, 1, 0.01));';
    const digest = vi.spyOn(crypto.subtle, "digest");
    try {
      const first = await compile(source);
      expect(digest).toHaveBeenCalledTimes(1);
      expect(await compile(source)).toBe(first);
      expect(await faustNodeId(source)).toBe(first.nodeId);
      expect(digest).toHaveBeenCalledTimes(1);
      await faustNodeId(source, { name: "another" });
      expect(digest).toHaveBeenCalledTimes(2);
    } finally {
      digest.mockRestore();
    }
  });

  it("loads libfaust once per thread, whichever loader asks later", async () => {
    const first = await libFaustCompiler(loadLibFaustFromDisk);
    let calls = 0;
    const again = await libFaustCompiler(async () => {
      calls++;
      throw new Error("not called");
    });
    expect(again).toBe(first);
    expect(calls).toBe(0);
  });

  it("keeps the most recently used compiles in its cache", async () => {
    const gain = await compile("process = *(0.125);");
    expect(cachedFaustNodeIds().at(-1)).toBe(gain.nodeId);
    await compile("process = *(0.375);");
    expect(await compile("process = *(0.125);")).toBe(gain);
    expect(cachedFaustNodeIds().at(-1)).toBe(gain.nodeId);
  });

  it("shares one compile between concurrent callers", async () => {
    const source = "process = +(1);";
    const [a, b] = await Promise.all([compile(source), compile(source)]);
    expect(a).toBe(b);
  });

  it("reports an error with Faust's message and the line it names; the compiler keeps working", async () => {
    const error = await compileError('import("stdfaust.lib");\ngain = 0.5;\nprocess = _ * gian;\n');
    expect(isEngineError(error, "E_SCHEMA")).toBe(true);
    expect(error.line).toBe(3);
    expect(error.file).toBeNull();
    expect(error.faustMessage).toBe("undefined symbol : gian");
    expect(error.path).toBe("source");
    expect(error.message).toBe("E_SCHEMA at source: Faust compile error at line 3: undefined symbol : gian");
    // A failed compile is not cached, and libfaust still compiles afterwards.
    expect((await compileError('import("stdfaust.lib");\ngain = 0.5;\nprocess = _ * gian;\n')).line).toBe(3);
    expect((await compile("process = _ * 0.25;")).layout.numInputs).toBe(1);
  });

  it("reports a syntax error's line", async () => {
    const error = await compileError("process = _,\n  _ :\n;\n");
    expect(error.line).toBe(3);
    expect(error.faustMessage).toMatch(/syntax error/);
  });

  it("reports the line of the user's source for a polyphonic DSP with an effect", async () => {
    const source =
      'import("stdfaust.lib");\nprocess = os.osc(hslider("freq", 440, 20, 2000, 1)) * nope;\neffect = _;\n';
    const error = await compileError(source, { voices: 4 });
    expect([error.line, error.faustMessage]).toEqual([2, "undefined symbol : nope"]);
    const inEffect = await compileError(
      'import("stdfaust.lib");\nprocess = os.osc(hslider("freq", 440, 20, 2000, 1));\neffect = _ * oops;\n',
      { voices: 4 },
    );
    expect([inEffect.line, inEffect.faustMessage]).toEqual([3, "undefined symbol : oops"]);
  });

  it("names the library file when the error is in a library the user supplied", async () => {
    const error = await compileError('import("broken.lib");\nprocess = mygain;\n', {
      libraries: { "broken.lib": "// line 1\nmygain = *(undefined_thing);\n" },
    });
    expect([error.file, error.line, error.faustMessage]).toEqual([
      "broken.lib",
      2,
      "undefined symbol : undefined_thing",
    ]);
    expect(error.message).toContain("at broken.lib line 2");
  });

  it("rejects bad options with the field's path", async () => {
    await expect(compile("process = _;", { voices: -1 })).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "options.voices",
    });
    await expect(compile("process = _;", { argv: ["-ftz 2"] })).rejects.toMatchObject({
      path: "options.argv[0]",
    });
    await expect(compile("process = _;", { libraries: { "../x.lib": "" } })).rejects.toMatchObject({
      path: 'options.libraries["../x.lib"]',
    });
    await expect(compile("  ")).rejects.toMatchObject({ code: "E_SCHEMA", path: "source" });
  });

  it('takes the voice count from `declare options "[nvoices:N]"`, overridden by the voices option', async () => {
    const source = `declare options "[midi:on][nvoices:6]";\n${faustwasmTestDsp("organ.dsp")}`;
    expect((await compile(source)).layout.voices).toBe(6);
    expect((await compile(source, { voices: 3 })).layout.voices).toBe(3);
    expect((await compile(source, { voices: 0 })).layout.voices).toBe(0);
  });

  it("compiles mono DSPs with internal memory and poly voices with faustwasm's mixer", async () => {
    const mono = await compile(faustwasmTestDsp("organ.dsp"), { name: "organ" });
    expect(mono.dsp.meta.compile_options).toMatch(/-lang wasm-i/);
    expect([mono.effect, mono.mixer]).toEqual([null, null]);
    const poly = await compile(faustwasmTestDsp("organ1.dsp"), { name: "organ1", voices: 8 });
    expect(poly.dsp.meta.compile_options).toMatch(/-lang wasm-e/);
    expect(poly.effect?.meta.compile_options).toMatch(/-inpl/);
    expect(WebAssembly.Module.exports(poly.mixer as WebAssembly.Module).map((e) => e.name)).toEqual([
      "clearOutput",
      "mixCheckVoice",
      "fadeOut",
    ]);
  });
});
