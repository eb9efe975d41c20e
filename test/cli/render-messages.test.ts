/** The text the CLI prints about the files it wrote: warnings, --normalize's notes, the summary. */
import { describe, expect, it } from "vitest";
import type { WavWriteReport } from "../../src/audio-io/wav";
import { inputNoun } from "../../src/cli/input-nouns";
import { normalizationFor } from "../../src/cli/normalize";
import { normalizationNote, RunSummary, sessionWarnings } from "../../src/cli/render-messages";
import type { SessionRenderOutcome } from "../../src/cli/session-render";

function report(peak: number, clippedSamples = 0): WavWriteReport {
  return {
    format: "pcm24",
    channels: 2,
    frames: 48_000,
    peak,
    peakDbfs: 20 * Math.log10(peak),
    clippedSamples,
    nonFiniteSamples: 0,
  };
}

function outcome(extra: Partial<SessionRenderOutcome> = {}): SessionRenderOutcome {
  return {
    frames: 48_000,
    sampleRate: 48_000,
    nonFinite: null,
    files: [{ path: "renders/a.wav", node: null, report: report(0.5) }],
    normalization: null,
    ...extra,
  };
}

const RUN = { audioSeconds: 3, elapsedSeconds: 0.5, shard: "" };

describe("render messages", () => {
  it("warns once per clipped file, stems included, with the count and the peak", () => {
    const files = [
      { path: "renders/a.wav", node: null, report: report(1.5, 1234) },
      { path: "stems/a/drums.wav", node: "drums", report: report(0.9) },
      { path: "stems/a/bass.wav", node: "bass", report: report(1, 1) },
    ];
    expect(sessionWarnings("a.json", outcome({ files }))).toEqual([
      "webdreamer: warning: renders/a.wav clipped: 1234 samples beyond full scale in pcm24 (peak +3.52 dBFS); use --normalize, a lower level or --format float32",
      "webdreamer: warning: stems/a/bass.wav clipped: 1 sample beyond full scale in pcm24 (peak 0.00 dBFS); use --normalize, a lower level or --format float32",
    ]);
    const summary = new RunSummary();
    summary.addRendered(outcome({ files }));
    // The peak is the output's; the stems count among the files clipped.
    expect(summary.line(RUN)).toBe(
      "webdreamer: rendered 1 of 1 sessions, 3.0 s of audio in 0.5 s; peak +3.52 dBFS; 2 files clipped",
    );
  });

  it("notes the gain --normalize applied, or that a silent render was left alone", () => {
    const loud = normalizationFor(2, -0.1, "pcm16");
    expect(normalizationNote("a.json", loud)).toBe(
      "webdreamer: a.json: normalized to -0.10 dBFS: gain -6.12 dB (its peak was +6.02 dBFS)",
    );
    const silent = normalizationFor(0, -0.1, "pcm16");
    expect(normalizationNote("b.json", silent)).toBe(
      "webdreamer: b.json: silent (peak -inf dBFS): not normalized, there is nothing to amplify",
    );
    expect(normalizationNote("c.json", null)).toBeNull();
  });

  it("sums up a batch: the highest peak, the range of gains, the silent and the failed", () => {
    const summary = new RunSummary();
    const target = report(10 ** (-0.1 / 20));
    summary.addRendered(
      outcome({
        files: [{ path: "a.wav", node: null, report: target }],
        normalization: normalizationFor(2, -0.1, "pcm24"),
      }),
    );
    summary.addRendered(
      outcome({
        files: [{ path: "b.wav", node: null, report: target }],
        normalization: normalizationFor(0.25, -0.1, "pcm24"),
      }),
    );
    summary.addRendered(
      outcome({
        files: [{ path: "c.wav", node: null, report: report(0) }],
        normalization: normalizationFor(0, -0.1, "pcm24"),
      }),
    );
    summary.addFailed();
    expect(summary.line({ ...RUN, shard: " (shard 0/2 of 8)" })).toBe(
      "webdreamer: rendered 3 of 4 sessions (shard 0/2 of 8), 3.0 s of audio in 0.5 s; peak -0.10 dBFS; " +
        "normalized with a gain of -6.12 to +11.94 dB; 1 silent session not normalized; 1 failed",
    );
    const none = new RunSummary();
    none.addFailed();
    expect(none.line(RUN)).toBe("webdreamer: rendered 0 of 1 sessions, 3.0 s of audio in 0.5 s; 1 failed");
  });

  it("calls a run's inputs projects, or sessions and projects, as they are", () => {
    const silent = () =>
      outcome({
        files: [{ path: "a.wav", node: null, report: report(0) }],
        normalization: normalizationFor(0, -0.1, "pcm24"),
      });
    const projects = new RunSummary(inputNoun(["a.wdproj", "b.wdproj"]));
    projects.addRendered(silent());
    projects.addFailed();
    expect(projects.line(RUN)).toBe(
      "webdreamer: rendered 1 of 2 projects, 3.0 s of audio in 0.5 s; peak -inf dBFS; " +
        "1 silent project not normalized; 1 failed",
    );
    const both = new RunSummary(inputNoun(["a.wdproj", "take.json"]));
    both.addRendered(silent());
    both.addRendered(silent());
    expect(both.line(RUN)).toBe(
      "webdreamer: rendered 2 of 2 sessions and projects, 3.0 s of audio in 0.5 s; peak -inf dBFS; " +
        "2 silent sessions and projects not normalized",
    );
  });

  it("--normalize=0 in an integer format aims at the largest sample, so the peak does not clip", () => {
    expect(normalizationFor(0.5, 0, "pcm16").gain).toBe(32767 / 32768 / 0.5);
    expect(normalizationFor(0.5, 0, "pcm24").gain).toBe((2 ** 23 - 1) / 2 ** 23 / 0.5);
    expect(normalizationFor(0.5, 0, "float32").gain).toBe(2);
  });
});
