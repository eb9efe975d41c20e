/**
 * <webdreamer-player>'s base-url attribute, followed from the attribute to the options the engine
 * factory (createRealtimeEngine, mocked here) is called with. The element runs in Node on Lit's DOM
 * shim: it is never connected, so it never renders, and Lit's attributeChangedCallback is called as
 * the browser would call it. Stand-ins for the browser's audio globals let the capability check pass.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
// Imported before any stand-in document is stubbed: lit-html picks its own when Node has none.
import { WebdreamerPlayer } from "../../src/components/webdreamer-player";

const createRealtimeEngine = vi.hoisted(() =>
  vi.fn(async (_options: { context: AudioContext; baseUrl?: string | URL }) => {
    // Stopping here is enough: the options are what this test is about.
    throw new Error("no engine in this test");
  }),
);

vi.mock("../../src/create-browser-engine", () => ({ createRealtimeEngine }));

class FakeAudioContext {
  async close(): Promise<void> {}
}

beforeEach(() => {
  createRealtimeEngine.mockClear();
  vi.stubGlobal("AudioContext", FakeAudioContext);
  vi.stubGlobal("AudioWorkletNode", class {});
  vi.stubGlobal("Worker", class {});
  vi.stubGlobal("matchMedia", () => ({ addEventListener() {}, removeEventListener() {} }));
  vi.stubGlobal("document", { baseURI: "https://example.com/app/page.html" });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function newPlayer() {
  return new WebdreamerPlayer();
}

/** The options of the one factory call a Play made. */
function factoryOptions() {
  expect(createRealtimeEngine).toHaveBeenCalledTimes(1);
  return createRealtimeEngine.mock.calls[0]?.[0];
}

describe("<webdreamer-player base-url>", () => {
  it("observes the base-url attribute", () => {
    expect(WebdreamerPlayer.observedAttributes).toContain("base-url");
  });

  it("hands the attribute, resolved against the page, to the engine factory on Play", async () => {
    const player = newPlayer();
    player.attributeChangedCallback("base-url", null, "/vendor/webdreamer");
    expect(player.baseUrl).toBe("/vendor/webdreamer");
    await player.play();
    const options = factoryOptions();
    expect(options?.context).toBeInstanceOf(FakeAudioContext);
    expect(String(options?.baseUrl)).toBe("https://example.com/vendor/webdreamer/");
  });

  it("hands the baseUrl property on too", async () => {
    const player = newPlayer();
    player.baseUrl = "https://cdn.example/webdreamer/0.1.0/dist/";
    await player.play();
    expect(String(factoryOptions()?.baseUrl)).toBe("https://cdn.example/webdreamer/0.1.0/dist/");
  });

  it("leaves baseUrl out when unset, so the engine's default applies", async () => {
    const player = newPlayer();
    await player.play();
    expect(factoryOptions()).not.toHaveProperty("baseUrl");
  });

  it("does not start an engine from a base-url that is not a URL, and says why", async () => {
    const player = newPlayer();
    player.attributeChangedCallback("base-url", null, "http://[not a host");
    await player.play();
    expect(createRealtimeEngine).not.toHaveBeenCalled();
    expect(player.status).toBe("error");
  });
});
