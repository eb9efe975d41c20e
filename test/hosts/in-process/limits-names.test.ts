/**
 * What only the in-process host shows: a graph at the old inline maximum of MIDI renders every note.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { MidiEventInput } from "../../../src/contracts";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";

const SR = 48000;

describe("in-process specifics", () => {
  let module: WebAssembly.Module;

  beforeAll(async () => {
    module = await loadEngineModuleFromDisk();
  });

  it("validates and renders 65,536 inline notes, every one of them", async () => {
    const client = new InProcessEngineClient({ module });
    // Note i plays a one-frame sample of 0.5 at frame 2i: the output alternates 0.5, 0 for 131,072 frames.
    const handle = await client.uploadBuffer([Float32Array.of(0.5)], SR);
    const midi: MidiEventInput[] = Array.from({ length: 65_536 }, (_, i) => ({
      type: "note",
      time: (2 * i) / SR,
      duration: 1 / SR,
      note: 60,
      velocity: 127,
    }));
    const result = await client.render({
      version: "v1alpha",
      request_id: "notes",
      node_graph: {
        version: "v1alpha",
        nodes: [{ name: "keys", node_id: "builtin:sampler", buffers: { sample: handle }, midi }],
        output: "keys",
      },
      duration_seconds: 131_072 / SR,
      sample_rate: SR,
      channels: 1,
    });
    expect(result).toMatchObject({ status: "ok", frames: 131_072 });
    const [out] = await client.readBuffer(result.buffer_handle ?? "");
    let played = 0;
    let wrong = 0;
    out?.forEach((value, frame) => {
      if (value === (frame % 2 === 0 ? 0.5 : 0)) played += frame % 2 === 0 ? 1 : 0;
      else wrong++;
    });
    expect({ played, wrong }).toEqual({ played: 65_536, wrong: 0 });
    await client.close();
  });
});
