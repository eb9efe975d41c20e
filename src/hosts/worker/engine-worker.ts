/**
 * The Worker host's Worker entry: an EngineHost over the Worker's own in-process client, rendering
 * faster than real time off the main thread.
 */
import { EngineHost } from "./engine-host";
import { serveEngine } from "./serve-engine";

serveEngine(({ client }) => new EngineHost(client));
