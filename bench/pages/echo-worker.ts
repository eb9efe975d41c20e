// Echoes every message: the postMessage baseline of the doorbell benchmark.
self.onmessage = (event: MessageEvent) => self.postMessage(event.data);
