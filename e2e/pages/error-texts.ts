// Runs the error-texts suite (test/api/error-texts-suite.ts) in Chromium against the Worker and
// AudioWorklet hosts, and what Faust compilation may reach there (e2e/error-texts.spec.ts).
// "vitest" resolves to e2e/support/vitest-shim.ts on this server.
import { createBrowserEngine } from "../../src/browser";
import type { NodeDescriptor, RenderRequestInput } from "../../src/contracts";
import { describeErrorTexts } from "../../test/api/error-texts-suite";
import { runCollected } from "../support/vitest-shim";

describeErrorTexts(
  "worker",
  () => createBrowserEngine({ host: "worker", hostOptions: { sampleRate: 48000 } }),
  {
    compilesFaust: true,
    liveRenders: "refused",
  },
);

describeErrorTexts("audioworklet", () => createBrowserEngine({ host: "audioworklet" }), {
  compilesFaust: true,
  liveRenders: "played",
});

type FaustClient = Awaited<ReturnType<typeof createBrowserEngine>> & {
  compileFaust(source: string, options?: object): Promise<NodeDescriptor>;
  releaseFaust(nodeId: string): Promise<void>;
};

function halfRequest(nodeId: string, sampleRate: number): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "faust-reach",
    duration_seconds: 0.01,
    sample_rate: sampleRate,
    channels: 1,
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "dc", node_id: "builtin:constant", params: { offset: 0.8 } },
        { name: "half", node_id: nodeId, inputs: ["dc"] },
      ],
      output: "half",
    },
  };
}

/**
 * In `host`: a URL import refused (its error), the same import compiled from an allowed prefix (the
 * rendered sample), a soundfile URL refused, then releaseFaust (discovery before and after, and the
 * error of a render naming the released node).
 */
async function faustReach(host: "worker" | "audioworklet", libs: string) {
  const engine = (await createBrowserEngine({ host })) as FaustClient;
  const message = (work: Promise<unknown>) =>
    work.then(
      () => "resolved",
      (error: Error) => error.message,
    );
  try {
    const sampleRate = (await engine.getTransportState()).sample_rate;
    const source = `h = library("${libs}half.lib");\nprocess = h.half;`;
    const refused = await message(engine.compileFaust(source));
    const soundfile = await message(
      engine.compileFaust(`process = 0, 0 : soundfile("s[url:{'${libs}s.wav'}]", 1) : !, !, _;`),
    );
    const absolute = await message(engine.compileFaust('import("/etc/passwd");\nprocess = _;'));
    const { node_id } = await engine.compileFaust(source, { allowUrlPrefixes: [libs] });
    const result = await engine.render(halfRequest(node_id, sampleRate));
    const [out] = await engine.readBuffer(result.buffer_handle as string);
    const listed = async () => (await engine.discoverNodes()).nodes.some((node) => node.node_id === node_id);
    const before = await listed();
    await engine.releaseFaust(node_id);
    const after = await listed();
    const renderAfter = await message(engine.render(halfRequest(node_id, sampleRate)));
    const releaseAgain = await message(engine.releaseFaust(node_id));
    // The app's faustPolicy, given to the host: its compiles fetch from the prefix with no option.
    const allowing = (await createBrowserEngine({
      host,
      hostOptions: { faustPolicy: { allowUrlPrefixes: [libs] } },
    })) as FaustClient;
    let policySample: number | undefined;
    try {
      const compiled = await allowing.compileFaust(source);
      const rendered = await allowing.render(halfRequest(compiled.node_id, sampleRate));
      policySample = (await allowing.readBuffer(rendered.buffer_handle as string))[0]?.[100];
    } finally {
      await allowing.close();
    }
    const badPolicy = await message(
      createBrowserEngine({ host, hostOptions: { faustPolicy: { allowUrlPrefixes: ["libs/"] } } }),
    );
    return {
      refused,
      soundfile,
      absolute,
      sample: out?.[100],
      before,
      after,
      renderAfter,
      releaseAgain,
      policySample,
      badPolicy,
    };
  } finally {
    await engine.close();
  }
}

Object.assign(window, { runErrorTextsSuite: runCollected, faustReach });
