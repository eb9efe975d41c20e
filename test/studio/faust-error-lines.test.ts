import { describe, expect, it } from "vitest";

import { createEngine } from "../../src/create-engine";
import { faustErrorLines } from "../../src/studio/faust-error-lines";

describe("faustErrorLines", () => {
  it("reads the line of webdreamer's compile error, libfaust's own shapes and a bare line", () => {
    expect(
      faustErrorLines("E_SCHEMA at source: Faust compile error at line 2: syntax error, unexpected ENDDEF"),
    ).toEqual([{ line: 2, message: "syntax error, unexpected ENDDEF" }]);
    expect(faustErrorLines("webdreamer : 3 : ERROR : undefined symbol : foo")).toEqual([
      { line: 3, message: "undefined symbol : foo" },
    ]);
    expect(faustErrorLines("FaustDSP.dsp:14 : ERROR : missing ;")).toEqual([
      { line: 14, message: "missing ;" },
    ]);
    expect(faustErrorLines("line 7: unexpected token")).toEqual([{ line: 7, message: "unexpected token" }]);
  });

  it("keeps a message without a line, and one error per line of the text", () => {
    expect(faustErrorLines("E_SCHEMA at source: the DSP has 3 outputs")).toEqual([
      { line: null, message: "the DSP has 3 outputs" },
    ]);
    expect(faustErrorLines("a : 1 : ERROR : first\n\nb : 4 : ERROR : second\n")).toEqual([
      { line: 1, message: "first" },
      { line: 4, message: "second" },
    ]);
    expect(faustErrorLines("")).toEqual([]);
  });

  it("clamps a line past the code's end to its last line, so the mark shows", () => {
    expect(faustErrorLines("Faust compile error at line 9: unexpected end of file", 4)).toEqual([
      { line: 4, message: "unexpected end of file" },
    ]);
    expect(faustErrorLines("Faust compile error at line 0: x", 4)[0]?.line).toBe(1);
  });

  it("finds the line libfaust names for real code (undefined symbol on line 3, syntax error on line 2)", async () => {
    const engine = await createEngine({ sampleRate: 48000 });
    const message = async (code: string) =>
      engine.compileFaust(code).then(
        () => "compiled",
        (error: Error) => error.message,
      );
    const undefinedSymbol = await message(
      'import("stdfaust.lib");\ng = hslider("gain", 0.5, 0, 1, 0.01);\nprocess = *(g) : foo;\n',
    );
    expect(faustErrorLines(undefinedSymbol)).toEqual([{ line: 3, message: "undefined symbol : foo" }]);
    const syntax = await message("process = _;\nx = ;\n");
    expect(faustErrorLines(syntax)[0]?.line).toBe(2);
    await engine.close();
  }, 60_000);
});
