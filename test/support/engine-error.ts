import { EngineError } from "../../src/contracts/errors";

/**
 * The EngineError `work` rejects with; throws when it resolves or rejects with something else, so
 * a test reading the code, path and detail of the result cannot pass on the wrong failure.
 */
export async function engineErrorOf(work: () => Promise<unknown>): Promise<EngineError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw new Error(`expected an EngineError, got: ${String(error)}`);
  }
  throw new Error("expected a rejection, it resolved");
}
