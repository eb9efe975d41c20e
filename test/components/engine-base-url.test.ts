import { describe, expect, it } from "vitest";
import { engineBaseUrl } from "../../src/components/engine-base-url";

const PAGE = "https://example.com/app/page.html";

describe("engineBaseUrl", () => {
  it("is undefined when unset or blank, so the engine's default applies", () => {
    expect(engineBaseUrl(undefined, PAGE)).toBeUndefined();
    expect(engineBaseUrl(null, PAGE)).toBeUndefined();
    expect(engineBaseUrl("  ", PAGE)).toBeUndefined();
  });

  it("keeps an absolute folder URL as it is", () => {
    expect(engineBaseUrl("https://cdn.example/webdreamer/0.1.0/dist/", PAGE)?.href).toBe(
      "https://cdn.example/webdreamer/0.1.0/dist/",
    );
  });

  it("resolves a relative URL against the page, as src does", () => {
    expect(engineBaseUrl("/assets/webdreamer/", PAGE)?.href).toBe("https://example.com/assets/webdreamer/");
    expect(engineBaseUrl("vendor/webdreamer/", PAGE)?.href).toBe(
      "https://example.com/app/vendor/webdreamer/",
    );
  });

  it("makes a path without a trailing slash name the folder, not a file beside it", () => {
    expect(engineBaseUrl("https://cdn.example/webdreamer/dist", PAGE)?.href).toBe(
      "https://cdn.example/webdreamer/dist/",
    );
  });

  it("names the attribute when the value is not a URL", () => {
    expect(() => engineBaseUrl("http://[not a host", PAGE)).toThrow(
      /base-url: "http:\/\/\[not a host" is not a URL/,
    );
  });
});
