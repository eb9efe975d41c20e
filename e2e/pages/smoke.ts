// Platform smoke page: renders the engine's sine through the AudioWorklet host in an
// OfflineAudioContext and hands the samples to the Playwright test.

import { createEngineWorklet } from "../../src/hosts/audioworklet/engine-worklet";
import { sineThroughGain } from "../../test/support/graph-programs";

async function renderSineOffline(seconds: number, sampleRate: number): Promise<number[]> {
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: seconds * sampleRate, sampleRate });
  const { node } = await createEngineWorklet(context, {
    program: sineThroughGain(440, 0.5),
    outputChannels: 1,
  });
  node.connect(context.destination);
  const rendered = await context.startRendering();
  return Array.from(rendered.getChannelData(0));
}

Object.assign(window, { renderSineOffline });
