/**
 * Where a Faust compile error is: the line numbers in the compiler's message, so the editor can mark
 * those lines (pure, unit-tested). libfaust reports errors in a few shapes, and webdreamer's
 * compileFaust wraps the first one:
 *
 *   E_SCHEMA at source: Faust compile error at line 2: syntax error, unexpected ENDDEF
 *   webdreamer : 3 : ERROR : undefined symbol : foo
 *   FaustDSP.dsp:4 : ERROR : ...
 *
 * A message with no line (an error in an imported library, a wrong number of outputs) is shown above
 * the code without a line.
 */

export interface FaustErrorLine {
  /** 1-based line of the source, or null when the message names none. */
  line: number | null;
  /** The compiler's words, without the location. */
  message: string;
}

const PATTERNS: readonly RegExp[] = [
  // webdreamer's own wrapper (src/faust/compiler.ts)
  /Faust compile error at line (\d+):\s*(.*)$/,
  // libfaust: "<file> : <line> : ERROR : <message>" (also "<file>:<line> : ERROR : ...")
  /^[^\s:]*\s*:\s*(\d+)\s*:\s*ERROR\s*:\s*(.*)$/i,
  // a bare "line N: message"
  /\bline (\d+)\s*:\s*(.*)$/i,
];

/**
 * Each error of a compile message, with its line when the message names one. Lines beyond
 * `lineCount` (when given) are kept but clamped to the last line, so the mark stays visible.
 * @example
 * faustErrorLines("E_SCHEMA at source: Faust compile error at line 2: undefined symbol : foo");
 * // [{ line: 2, message: "undefined symbol : foo" }]
 */
export function faustErrorLines(text: string, lineCount?: number): FaustErrorLine[] {
  const errors: FaustErrorLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const entry = raw.trim();
    if (entry === "") continue;
    const found = parseOne(entry);
    if (found.line !== null && lineCount !== undefined && lineCount > 0) {
      found.line = Math.min(Math.max(1, found.line), lineCount);
    }
    errors.push(found);
  }
  return errors;
}

function parseOne(entry: string): FaustErrorLine {
  for (const pattern of PATTERNS) {
    const match = pattern.exec(entry);
    if (match) return { line: Number(match[1]), message: (match[2] ?? "").trim() || entry };
  }
  return { line: null, message: entry.replace(/^E_[A-Z_]+ at [^:]+:\s*/, "") };
}
