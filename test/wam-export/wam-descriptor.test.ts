/** descriptor.json of an exported graph (src/wam-export/wam-descriptor.ts). */
import { describe, expect, it } from "vitest";
import { WAM_API_VERSION, wamDescriptor } from "../../src/wam-export/wam-descriptor";

const IDENTITY = { identifier: "com.example.pad", name: "Pad", vendor: "Example", version: "1.2.0" };
const INSTRUMENT = { inputChannels: 0, outputChannels: 2 };

describe("wamDescriptor", () => {
  it("states every WamDescriptor field (the 22 of the WAM API) and the channel counts", () => {
    const descriptor = wamDescriptor(IDENTITY, { takesMidi: true, exposedParameters: 3, ...INSTRUMENT });
    expect(Object.keys(descriptor).sort()).toEqual(
      [
        "identifier",
        "name",
        "vendor",
        "version",
        "apiVersion",
        "description",
        "keywords",
        "website",
        "thumbnail",
        "isInstrument",
        ...["Audio", "Automation", "Midi", "Mpe", "Osc", "Sysex"].flatMap((k) => [
          `has${k}Input`,
          `has${k}Output`,
        ]),
        "audioInputChannels",
        "audioOutputChannels",
      ].sort(),
    );
    expect(descriptor.apiVersion).toBe(WAM_API_VERSION);
    expect(descriptor).toMatchObject({
      ...IDENTITY,
      isInstrument: true,
      hasMidiInput: true,
      hasAutomationInput: true,
    });
  });

  it("a graph without MIDI-taking nodes is a generator: no MIDI input, not an instrument", () => {
    const descriptor = wamDescriptor(IDENTITY, { takesMidi: false, exposedParameters: 0, ...INSTRUMENT });
    expect(descriptor).toMatchObject({ isInstrument: false, hasMidiInput: false, hasAutomationInput: false });
  });

  it("without an audio input it has audio output only", () => {
    const descriptor = wamDescriptor(IDENTITY, { takesMidi: true, exposedParameters: 1, ...INSTRUMENT });
    expect(descriptor.hasAudioOutput).toBe(true);
    expect(descriptor.hasAudioInput).toBe(false);
    expect(descriptor).toMatchObject({ audioInputChannels: 0, audioOutputChannels: 2 });
    expect(descriptor.hasMidiOutput || descriptor.hasAutomationOutput).toBe(false);
  });

  it("with an audio input it is an effect, even when a node of it takes MIDI", () => {
    const descriptor = wamDescriptor(IDENTITY, {
      takesMidi: true,
      exposedParameters: 1,
      inputChannels: 2,
      outputChannels: 1,
    });
    expect(descriptor).toMatchObject({
      isInstrument: false,
      hasAudioInput: true,
      hasMidiInput: true,
      audioInputChannels: 2,
      audioOutputChannels: 1,
    });
  });
});
