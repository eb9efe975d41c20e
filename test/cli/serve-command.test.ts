/** `webdreamer serve`'s flags: sizes, numbers, the token from the environment, and usage errors naming the flag. */
import { describe, expect, it } from "vitest";
import { parseByteSize, parseServeCommand, runServe } from "../../src/cli/serve-command";

describe("webdreamer serve flags", () => {
  it("reads sizes with binary multiples", () => {
    expect([
      parseByteSize("1048576"),
      parseByteSize("512K"),
      parseByteSize("64M"),
      parseByteSize("1g"),
    ]).toEqual([1048576, 524288, 67108864, 1073741824]);
    expect(() => parseByteSize("lots")).toThrow(
      '--max-body must be bytes, or a size such as 512K or 64M, got "lots"',
    );
  });

  it("maps every flag to its option, and takes the token from WEBDREAMER_TOKEN", () => {
    const command = parseServeCommand(
      ["--host", "0.0.0.0", "--port", "8080", "--max-body", "1M", "--concurrency", "8", "--queue", "16"],
      { WEBDREAMER_TOKEN: "from-the-environment-123" },
    );
    expect(command.options).toEqual({
      host: "0.0.0.0",
      port: 8080,
      token: "from-the-environment-123",
      maxBodyBytes: 1048576,
      concurrency: 8,
      queue: 16,
    });
    expect(
      parseServeCommand(["--token", "from-the-flag-12345678", "--timeout", "30", "--sessions", "4"], {})
        .options,
    ).toEqual({
      token: "from-the-flag-12345678",
      timeoutSeconds: 30,
      maxSessions: 4,
    });
    expect(() => parseServeCommand(["--port", "eighty"], {})).toThrow(
      '--port must be a number, got "eighty"',
    );
    expect(() => parseServeCommand(["--colour"], {})).toThrow("--colour");
  });

  it("refuses a non-loopback host without a token, naming the flag", async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    const saved = process.env.WEBDREAMER_TOKEN;
    delete process.env.WEBDREAMER_TOKEN;
    try {
      await expect(runServe(["--host", "0.0.0.0"], io)).rejects.toThrow(
        "--token is required when the server binds 0.0.0.0, which is not loopback (--token or WEBDREAMER_TOKEN)",
      );
      await expect(runServe(["--concurrency", "0"], io)).rejects.toThrow("--concurrency must be >= 1");
    } finally {
      if (saved !== undefined) process.env.WEBDREAMER_TOKEN = saved;
    }
  });
});
