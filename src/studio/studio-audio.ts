/**
 * The project's audio as the studio holds it: the decoded samples by content id (what playback
 * uploads, the autosave stores and the exports render) and each one's waveform peaks, computed in a
 * Worker and drawn on the audio clips' canvases for the part of the audio each clip plays.
 */
import type { ReactiveControllerHost } from "lit";

import type { AudioData } from "../audio-io/wav-codec";
import { secondsAtBeat } from "../contracts/tempo-map";
import type { Project } from "../project/project-schema";
import { findClip } from "./project-lookups";
import { drawWaveform, PeakWorker, type WaveformPeaks } from "./waveform-peaks";

export class StudioAudio {
  /** The samples by content id, at each file's own rate (one map, shared with playback and the store). */
  readonly data = new Map<string, AudioData>();
  private readonly peaks = new Map<string, WaveformPeaks>();
  private readonly peakWorker = new PeakWorker();

  constructor(private readonly host: ReactiveControllerHost) {}

  /** Keeps `data` as `contentId` and computes its peaks (the clips show them once ready). */
  keep(contentId: string, data: AudioData): void {
    this.data.set(contentId, data);
    void this.computePeaks(contentId, data);
  }

  /** Draws each audio clip's waveform on its canvas, for the part of the audio the clip plays. */
  drawWaveforms(root: ParentNode, project: Project, color: string): void {
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>("canvas.waveform")) {
      const clipElement = canvas.closest<HTMLElement>(".clip");
      const clip = findClip(project, clipElement?.dataset.track, clipElement?.dataset.clip);
      const peaks = this.peaks.get(canvas.dataset.content ?? "");
      if (!clip || !("content_id" in clip) || !peaks) continue;
      const tempo = project.tempo;
      const seconds =
        secondsAtBeat(tempo, clip.start_beat + clip.length_beats) - secondsAtBeat(tempo, clip.start_beat);
      const key = `${clip.source_start_seconds}:${seconds}:${canvas.clientWidth}:${color}:${peaks.frames}`;
      if (canvas.dataset.drawn === key) continue;
      canvas.dataset.drawn = key;
      drawWaveform(canvas, peaks, clip.source_start_seconds, seconds, color);
    }
  }

  close(): void {
    this.peakWorker.close();
  }

  private async computePeaks(contentId: string, data: AudioData): Promise<void> {
    this.peaks.set(contentId, await this.peakWorker.peaks(data.channels, data.sampleRate));
    this.host.requestUpdate();
  }
}
