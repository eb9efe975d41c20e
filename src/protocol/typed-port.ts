/**
 * TypedPort: a MessagePort seen through one boundary's protocol, so the compiler checks every message
 * each side sends and every message it handles. A MessagePort is a TypedPort of any pair of types:
 * no cast is needed to view it as one, and none is used.
 *
 * @example
 * const port: TypedPort<WorkerToWorkletMessage, WorkletToWorkerMessage> = channel.port1;
 * port.onmessage = (event) => { if (event.data.type === "loaded") resolve(event.data.id); };
 */
export interface TypedPort<Send, Receive> {
  postMessage(message: Send, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Receive>) => void) | null;
}
