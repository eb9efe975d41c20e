/**
 * The project bar's exports: the mixdown as a float32 WAV, or the mixdown and every track's and bus's
 * stem as a zip of WAVs. One at a time, rendered off the live graph (the Worker engine; the live
 * engine when a WAM plays, as only the AudioWorklet host runs WAM plugins: export-host.ts), behind
 * the progress bar and Cancel.
 */
import type { ReactiveControllerHost } from "lit";

import type { RealtimeEngineClient } from "../api/realtime-client";
import type { AudioData } from "../audio-io/wav-codec";
import { exportProject, type ProjectExport } from "../project/export-project";
import type { Project } from "../project/project-schema";
import { playsWam } from "./export-host";
import { downloadBytes, fileNameFor } from "./file-transfer";
import type { OfflineEngine } from "./offline-engine";
import type { ExportKind } from "./project-bar";
import { stemsZipName, zipStems } from "./stems-export";

export interface ExportFlowHost {
  project(): Project;
  audio(): Map<string, AudioData>;
  /** The rate the export renders at (the studio's). */
  sampleRate(): number;
  /** The live engine, started if need be (it renders a project playing WAM plugins). */
  liveEngine(): Promise<RealtimeEngineClient | null>;
  /** The Worker engine that renders everything else. */
  offline: OfflineEngine;
  failed(error: unknown, context: string): void;
}

export class ExportFlow {
  /** The running export's progress, 0..1, or null when none runs. */
  private fraction: number | null = null;
  /** What the running export makes (read with the progress). */
  private exporting: ExportKind = "mixdown";
  private abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly flow: ExportFlowHost,
  ) {}

  get progress(): number | null {
    return this.fraction;
  }

  get kind(): ExportKind {
    return this.exporting;
  }

  /** Renders the mixdown and offers its WAV unless `download` is false; null when cancelled. */
  async mixdown(download: boolean): Promise<ProjectExport | null> {
    const exported = await this.render("mixdown");
    if (exported && download)
      downloadBytes(exported.mixdown, fileNameFor(this.flow.project().name, ".wav"), "audio/wav");
    return exported;
  }

  /** Renders the mixdown and the stems and offers the stems' zip unless `download` is false. */
  async stems(download: boolean): Promise<ProjectExport | null> {
    // The stems are named after the tracks the export rendered.
    const tracks = this.flow.project().tracks;
    const exported = await this.render("stems");
    if (exported && download) {
      const zip = zipStems(tracks, exported.stems);
      downloadBytes(zip, stemsZipName(this.flow.project().name), "application/zip");
    }
    return exported;
  }

  /**
   * Cancels the export in progress. The bar goes at once and a new export may start: a render that
   * was already finishing (its last blocks, the WAV) is let run out and its result dropped, so
   * nothing downloads after Cancel.
   */
  cancel(): void {
    this.abort?.abort();
    this.abort = null;
    this.show(null);
  }

  /** One export at a time, behind the project bar's progress bar and Cancel. */
  private async render(kind: ExportKind): Promise<ProjectExport | null> {
    if (this.abort) return null;
    const abort = new AbortController();
    this.abort = abort;
    this.exporting = kind;
    this.show(0);
    try {
      // A WAM plays only in the AudioWorklet host: the live engine renders it offline (export-host.ts),
      // at its rate.
      const wam = playsWam(this.flow.project());
      const live = wam ? await this.flow.liveEngine() : null;
      if (playsWam(this.flow.project()) && live === null)
        throw new Error("the live engine, which renders WAM plugins, did not start");
      const options = {
        sampleRate: this.flow.sampleRate(),
        stems: kind === "stems",
        signal: abort.signal,
        onProgress: (fraction: number) => {
          if (!abort.signal.aborted) this.show(fraction);
        },
      };
      const exported =
        live !== null
          ? await exportProject(live, { project: this.flow.project(), audio: this.flow.audio() }, options)
          : await this.flow.offline.mixdown(this.flow.project(), this.flow.audio(), options);
      return abort.signal.aborted ? null : exported;
    } catch (error) {
      if (abort.signal.aborted) return null;
      this.flow.failed(error, `The ${kind} could not be exported`);
      return null;
    } finally {
      // A cancelled export's end leaves alone an export started after its Cancel.
      if (this.abort === abort) {
        this.abort = null;
        this.show(null);
      }
    }
  }

  private show(fraction: number | null): void {
    this.fraction = fraction;
    this.host.requestUpdate();
  }
}
