/** descriptor.json of an exported graph (src/wam-export/wam-descriptor.ts). */
import { describe, expect, it } from "vitest";
import { WAM_API_VERSION, wamDescriptor } from "../../src/wam-export/wam-descriptor";

const IDENTITY = { identifier: "com.example.pad", name: "Pad", vendor: "Example", version: "1.2.0" };

describe("wamDescriptor", () => {
  it("states every WamDescriptor field (the 22 of the WAM API)", () => {
    const descriptor = wamDescriptor(IDENTITY, { takesMidi: true, exposedParameters: 3 });
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
    const descriptor = wamDescriptor(IDENTITY, { takesMidi: false, exposedParameters: 0 });
    expect(descriptor).toMatchObject({ isInstrument: false, hasMidiInput: false, hasAutomationInput: false });
  });

  it("has audio output only: a graph has no node that takes audio from outside", () => {
    const descriptor = wamDescriptor(IDENTITY, { takesMidi: true, exposedParameters: 1 });
    expect(descriptor.hasAudioOutput).toBe(true);
    expect(descriptor.hasAudioInput).toBe(false);
    expect(descriptor.hasMidiOutput || descriptor.hasAutomationOutput).toBe(false);
  });
});
