/**
 * What the mixer's controls do to the project: each edit one command, so one undo step. A fader, pan
 * or send level drag is one gesture (coalesced by the editor) until the slider's change, or, with the
 * control's automation lane writing while the transport plays, points on that lane.
 */
import type { ProjectCommand } from "../project/project-commands";
import type { Project } from "../project/project-schema";
import {
  addBusCommand,
  addReverbCommand,
  addSendCommand,
  type SendActions,
  sendLevelFromSlider,
} from "./mixer-sends";
import { MIN_FADER_DB, type MixerActions } from "./mixer-strip";

export interface MixerEditing {
  project(): Project;
  /** Runs a command (with a gesture id: coalesced with the same gesture's edits). */
  run(command: ProjectCommand, gesture?: string): boolean;
  /**
   * A control of `address` (`send:<id>`) on `trackId` moved to `value`: true when it was written as
   * automation (its lane shows with Write on and the transport plays), so the level itself stays.
   */
  record?(trackId: string, address: string, value: number): boolean;
}

/**
 * The actions of the mixer strips, on `editing`.
 * @example
 * const actions = mixerActions({ project: () => editor.project, run: (command) => { editor.execute(command); return true; } });
 * actions.addBus();
 */
export function mixerActions(editing: MixerEditing): MixerActions {
  let faderGesture = 0;
  return {
    ...busAndSendActions(editing),
    mixerInput: (trackId, field, event) => {
      let value = Number((event.target as HTMLInputElement).value);
      // With its lane's Write on and the transport playing, the move is written as automation.
      if (editing.record?.(trackId, field === "volume_db" ? "volume" : "pan", value)) return;
      if (field === "volume_db" && value <= MIN_FADER_DB) value = -120;
      // One gesture per drag (until the slider's change event): the drag is one undo step.
      editing.run(
        { type: "set_mixer", track_id: trackId, mixer: { [field]: value } },
        `fader-${faderGesture}`,
      );
    },
    mixerCommit: () => {
      faderGesture++;
    },
    toggle: (trackId, field) => {
      const track = editing.project().tracks.find((t) => t.id === trackId);
      if (track)
        editing.run({ type: "set_mixer", track_id: trackId, mixer: { [field]: !track.mixer[field] } });
    },
  };
}

/** The bus and send actions of the mixer strips. */
function busAndSendActions(editing: MixerEditing): SendActions & { addBus(): void } {
  let gesture = 0;
  return {
    addBus: () => {
      editing.run(addBusCommand(editing.project()));
    },
    addReverb: (trackId) => {
      editing.run(addReverbCommand(editing.project(), trackId));
    },
    removeDevice: (trackId, deviceId) => {
      editing.run({ type: "remove_device", track_id: trackId, device_id: deviceId });
    },
    addSend: (trackId) => {
      const command = addSendCommand(editing.project(), trackId);
      if (command) editing.run(command);
    },
    sendLevel: (trackId, sendId, event) => {
      const value = Number((event.target as HTMLInputElement).value);
      if (editing.record?.(trackId, `send:${sendId}`, value)) return;
      const level = sendLevelFromSlider(value);
      editing.run(
        { type: "set_send", track_id: trackId, send_id: sendId, send: { level_db: level } },
        `send-${gesture}`,
      );
    },
    sendCommit: () => {
      gesture++;
    },
    sendTarget: (trackId, sendId, target) => {
      editing.run({ type: "set_send", track_id: trackId, send_id: sendId, send: { target } });
    },
    sendPreFader: (trackId, sendId, preFader) => {
      editing.run({ type: "set_send", track_id: trackId, send_id: sendId, send: { pre_fader: preFader } });
    },
    removeSend: (trackId, sendId) => {
      editing.run({ type: "remove_send", track_id: trackId, send_id: sendId });
    },
  };
}
