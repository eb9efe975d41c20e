/**
 * What `webdreamer render` says on stderr about the files it wrote: a warning for each file that
 * is not what the graph played (samples an integer format clipped, non-finite samples written as 0),
 * and the run's summary line. Only the text is made here; run-cli.ts decides when to print it.
 */
import { formatDb } from "../audio-io/wav-report";
import type { InputNoun } from "./input-nouns";
import type { Normalization } from "./normalize";
import type { SessionRenderOutcome } from "./session-render";

/**
 * The warnings about one rendered session: one per WAV that clipped, and one for non-finite samples.
 * @example
 * for (const line of sessionWarnings("take.json", outcome)) console.error(line);
 * // webdreamer: warning: renders/take.wav clipped: 32400 samples beyond full scale in pcm16 (peak +6.02 dBFS); ...
 */
export function sessionWarnings(sessionPath: string, outcome: SessionRenderOutcome): string[] {
  const lines: string[] = [];
  const { nonFinite } = outcome;
  if (nonFinite !== null) {
    lines.push(
      `webdreamer: warning: ${sessionPath}: ${nonFinite.samples} non-finite samples ` +
        `(NaN or ±Infinity) from frame ${nonFinite.first_frame} were written as 0`,
    );
  }
  for (const { path, report } of outcome.files) {
    if (report.clippedSamples === 0) continue;
    const samples = report.clippedSamples === 1 ? "1 sample" : `${report.clippedSamples} samples`;
    lines.push(
      `webdreamer: warning: ${path} clipped: ${samples} beyond full scale in ${report.format} ` +
        `(peak ${formatDb(report.peakDbfs)} dBFS); use --normalize, a lower level or --format float32`,
    );
  }
  return lines;
}

/**
 * What --normalize did to a session, or null without it: the gain applied, or that a silent render
 * was left as it was.
 * @example
 * normalizationNote("take.json", outcome.normalization);
 * // "webdreamer: take.json: normalized to -0.10 dBFS: gain -6.12 dB (its peak was +6.02 dBFS)"
 */
export function normalizationNote(sessionPath: string, normalization: Normalization | null): string | null {
  if (normalization === null) return null;
  if (!normalization.applied) {
    return `webdreamer: ${sessionPath}: silent (peak -inf dBFS): not normalized, there is nothing to amplify`;
  }
  return (
    `webdreamer: ${sessionPath}: normalized to ${formatDb(normalization.targetDbfs)} dBFS: ` +
    `gain ${formatDb(normalization.gainDb)} dB (its peak was ${formatDb(normalization.peakDbfs)} dBFS)`
  );
}

/** The figures of a run that its summary line reports. */
export class RunSummary {
  private rendered = 0;
  private failed = 0;
  /** The highest peak among the outputs written (stems excluded), in dBFS. */
  private peakDbfs = Number.NEGATIVE_INFINITY;
  private clippedFiles = 0;
  /** The gains --normalize applied, in dB; and the silent sessions it left as they were. */
  private gainsDb: number[] = [];
  private silent = 0;

  /** `noun`: what the run's inputs are called (input-nouns.ts); sessions by default. */
  constructor(private readonly noun: InputNoun = { one: "session", many: "sessions" }) {}

  /** A session rendered and its files were written. */
  addRendered(outcome: SessionRenderOutcome): void {
    this.rendered++;
    for (const { node, report } of outcome.files) {
      if (node === null) this.peakDbfs = Math.max(this.peakDbfs, report.peakDbfs);
      if (report.clippedSamples > 0) this.clippedFiles++;
    }
    const { normalization } = outcome;
    if (normalization?.applied) this.gainsDb.push(normalization.gainDb);
    else if (normalization !== null) this.silent++;
  }

  /** A session failed. */
  addFailed(): void {
    this.failed++;
  }

  get failures(): number {
    return this.failed;
  }

  /**
   * The summary line.
   * @example
   * summary.line({ audioSeconds: 240, elapsedSeconds: 5.5, shard: "" });
   * // "webdreamer: rendered 8 of 8 sessions, 240.0 s of audio in 5.5 s; peak -1.20 dBFS"
   */
  line(run: { audioSeconds: number; elapsedSeconds: number; shard: string }): string {
    const sessions = this.rendered + this.failed;
    const parts = [
      `webdreamer: rendered ${this.rendered} of ${sessions} ${this.noun.many}${run.shard}, ` +
        `${run.audioSeconds.toFixed(1)} s of audio in ${run.elapsedSeconds.toFixed(1)} s`,
    ];
    if (this.rendered > 0) parts.push(`peak ${formatDb(this.peakDbfs)} dBFS`);
    if (this.gainsDb.length > 0) {
      const low = Math.min(...this.gainsDb);
      const high = Math.max(...this.gainsDb);
      const gains = low === high ? formatDb(low) : `${formatDb(low)} to ${formatDb(high)}`;
      parts.push(`normalized with a gain of ${gains} dB`);
    }
    if (this.silent > 0) {
      const noun = this.silent === 1 ? this.noun.one : this.noun.many;
      parts.push(`${this.silent} silent ${noun} not normalized`);
    }
    if (this.clippedFiles > 0) {
      parts.push(this.clippedFiles === 1 ? "1 file clipped" : `${this.clippedFiles} files clipped`);
    }
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    return parts.join("; ");
  }
}
