import { describe, expect, it } from "vitest";
import { WamLoadPolicySchema } from "../../src/api/wam-load-policy";
import { EngineError, parseContract } from "../../src/contracts";
import { checkOrigin } from "../../src/wam/origin-policy";

const PAGE = "http://127.0.0.1:5173";

function refusal(url: string, allowedOrigins?: string[]): EngineError | undefined {
  try {
    checkOrigin(new URL(url), allowedOrigins === undefined ? {} : { allowedOrigins }, PAGE, "root.url");
    return undefined;
  } catch (error) {
    return error as EngineError;
  }
}

describe("checkOrigin", () => {
  it("allows the page's own origin by default and nothing else", () => {
    expect(refusal(`${PAGE}/plugins/a/index.js`)).toBeUndefined();
    const error = refusal("http://localhost:5173/plugins/a/index.js");
    expect(error?.code).toBe("E_ORIGIN_NOT_ALLOWED");
    expect(error?.path).toBe("root.url");
    expect(error?.message).toBe(
      "E_ORIGIN_NOT_ALLOWED at root.url: http://localhost:5173/plugins/a/index.js: origin http://localhost:5173 is not allowed (allowed: self (http://127.0.0.1:5173)); add it to allowedOrigins to load this plugin",
    );
  });

  it("compares scheme, host and port exactly", () => {
    expect(refusal("https://127.0.0.1:5173/a.js")?.code).toBe("E_ORIGIN_NOT_ALLOWED");
    expect(refusal("http://127.0.0.1:5174/a.js")?.code).toBe("E_ORIGIN_NOT_ALLOWED");
  });

  it("an explicit list replaces the default; self and * are written out", () => {
    expect(refusal("https://cdn.example/a.js", ["https://cdn.example"])).toBeUndefined();
    expect(refusal(`${PAGE}/a.js`, ["https://cdn.example"])?.code).toBe("E_ORIGIN_NOT_ALLOWED");
    expect(refusal(`${PAGE}/a.js`, ["self", "https://cdn.example"])).toBeUndefined();
    expect(refusal("https://anywhere.example/a.js", ["*"])).toBeUndefined();
  });

  it("refuses opaque origins (data:) unless * is allowed", () => {
    expect(refusal("data:text/javascript,export default 1")?.code).toBe("E_ORIGIN_NOT_ALLOWED");
    expect(refusal("data:text/javascript,export default 1", ["*"])).toBeUndefined();
  });
});

describe("WamLoadPolicySchema", () => {
  it("accepts origins, self and *, and refuses URLs with a path", () => {
    expect(() =>
      parseContract(WamLoadPolicySchema, { allowedOrigins: ["self", "*", "https://a.example"] }),
    ).not.toThrow();
    expect(() =>
      parseContract(
        WamLoadPolicySchema,
        { allowedOrigins: ["https://a.example/plugins/"] },
        "options.wamPolicy",
      ),
    ).toThrow(/options\.wamPolicy\.allowedOrigins\[0\]/);
    expect(() =>
      parseContract(WamLoadPolicySchema, { importMap: { imports: { a: "b" } }, extra: 1 }),
    ).toThrow(EngineError);
  });
});
