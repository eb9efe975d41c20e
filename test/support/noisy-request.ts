/**
 * One request that exercises what most easily differs between hosts: deterministic noise, a
 * resonant filter under automation, a feedback delay (a graph cycle), a reverb, a compressor and a
 * panner. Every host must render it to the same samples, alone or with other renders at once
 * (test/hosts/concurrency.test.ts in Node.js, e2e/cross-host.spec.ts in Chromium).
 */
import type { RenderRequestInput } from "../../src/contracts";

export function noisyRequest(requestId: string, sampleRate = 48000, seconds = 2.5): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: requestId,
    // Long enough that a render yields to the event loop while it runs, so renders in flight interleave.
    duration_seconds: seconds,
    sample_rate: sampleRate,
    channels: 2,
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "noise", node_id: "builtin:oscillator", params: { waveform: "noise", amplitude: 0.3 } },
        { name: "saw", node_id: "builtin:oscillator", params: { waveform: "saw", frequency: 97 } },
        {
          name: "filter",
          node_id: "builtin:filter",
          inputs: ["noise", "saw"],
          params: { mode: "bandpass", q: 8 },
          automation: {
            frequency: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 200, curve: "exponential" },
                { time: 0.7, value: 6000 },
              ],
            },
          },
        },
        { name: "bus", node_id: "builtin:mixer", inputs: ["filter", "echo"] },
        { name: "delay", node_id: "builtin:delay", inputs: ["bus"], params: { time: 61.7 } },
        { name: "echo", node_id: "builtin:gain", inputs: ["delay"], params: { gain: 0.6 } },
        {
          name: "room",
          node_id: "builtin:reverb",
          inputs: ["bus"],
          params: { room_size: 0.9, damping: 0.2 },
        },
        {
          name: "squash",
          node_id: "builtin:compressor",
          inputs: ["room"],
          params: { threshold: -24, ratio: 6 },
        },
        { name: "pan", node_id: "builtin:panner", inputs: ["squash"], params: { pan: 0.3 } },
      ],
      output: "pan",
    },
    start_position_seconds: 0,
    options: { offline: true, preroll: 0 },
  };
}
