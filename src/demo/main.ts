// The live demo page: plays the engine's 440 Hz sine through a gain in a real-time AudioContext.
import { createEngineNode } from "../engine/engine-worklet-node";
import { sineThroughGain } from "../engine/graph-program";

const playButton = document.querySelector<HTMLButtonElement>("#play");
const status = document.querySelector<HTMLElement>("#status");
const clock = document.querySelector<HTMLElement>("#clock");
const rate = document.querySelector<HTMLElement>("#rate");
const isolated = document.querySelector<HTMLElement>("#isolated");
if (!playButton || !status || !clock || !rate || !isolated) throw new Error("demo page markup is incomplete");

isolated.textContent = self.crossOriginIsolated
  ? "yes (SharedArrayBuffer available)"
  : "no (message-port fallback)";

let context: AudioContext | null = null;

function showClock(): void {
  if (!context || !clock) return;
  clock.textContent = `${context.currentTime.toFixed(3)} s`;
  requestAnimationFrame(showClock);
}

async function play(): Promise<void> {
  context = new AudioContext({ latencyHint: "interactive" });
  const node = await createEngineNode(context, { program: sineThroughGain(440, 0.5) });
  node.connect(context.destination);
  await context.resume();
  if (rate) rate.textContent = `${context.sampleRate} Hz`;
  requestAnimationFrame(showClock);
}

async function stop(): Promise<void> {
  await context?.close();
  context = null;
}

playButton.addEventListener("click", async () => {
  const starting = context === null;
  playButton.disabled = true;
  try {
    if (starting) await play();
    else await stop();
    playButton.textContent = starting ? "Stop" : "Play";
    playButton.setAttribute("aria-pressed", String(starting));
    status.textContent = starting ? "playing" : "stopped";
  } catch (error) {
    status.textContent = `error: ${(error as Error).message}`;
    context = null;
  } finally {
    playButton.disabled = false;
  }
});
