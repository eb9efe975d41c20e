/**
 * Yields one task to the event loop without a timer: timers are clamped to 4 ms when nested and
 * throttled in hidden tabs, a MessageChannel round trip is not.
 * @example
 * await yieldTask(); // let the audio thread's messages in
 */
export function yieldTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}
