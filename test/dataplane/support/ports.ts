/**
 * Ports for the MessagePort twins' tests: every port or end opened through here is closed after each
 * test (`afterEach(closeOpened)`), so no listener keeps the test process alive.
 */
import type { MessagePortLike } from "../../../src/dataplane/port-buffer";

const opened: { close(): void }[] = [];

/** Closes `ends` after the current test. */
export function closeAfterTest(...ends: { close(): void }[]): void {
  opened.push(...ends);
}

/** Closes everything opened since the previous call; pass it to `afterEach`. */
export function closeOpened(): void {
  for (const end of opened.splice(0)) end.close();
}

/** A new MessageChannel whose ports are closed after the current test. */
export function channel(): { port1: MessagePortLike; port2: MessagePortLike } {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  return { port1, port2 };
}

/** Lets the event loop deliver posted messages until `condition` holds (or 2 s pass). */
export async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("timed out waiting for messages");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
