/**
 * What the fuzz properties accept as the outcome of a bad input: a domain error of the module's own
 * type, well formed, with a code or a file and a message a person can act on. Anything else (a
 * TypeError from deep inside a parser, a RangeError, a string thrown by a library) fails the property
 * with the original error's stack, so the fix can start from the line that threw.
 */
import { EngineError, type ErrorCode } from "../../../src/contracts/errors";

/** What a TypeError or RangeError says: a message holding it reports a crash, not the input. */
const JAVASCRIPT_ERROR_TEXT =
  /Cannot read properties|is not a function|is not iterable|call stack|Invalid array length|Array buffer allocation/;

/** Fails when a domain error's text is a JavaScript error's, wrapped: the parser crashed on the input. */
export function expectOwnWords(text: string): void {
  if (JAVASCRIPT_ERROR_TEXT.test(text)) throw new Error(`the error wraps a JavaScript error: ${text}`);
}

/** Rethrows `error` as a property failure that keeps its name, message and stack. */
export function notADomainError(error: unknown, expected: string): never {
  const description =
    error instanceof Error
      ? `${error.name}: ${error.message}\n${error.stack ?? ""}`
      : `a thrown ${typeof error}: ${String(error)}`;
  throw new Error(`expected ${expected}, got ${description}`);
}

export interface ExpectedEngineError {
  /** The path starts here. Default "" (any path). */
  rootLabel?: string;
  /** True for parseContract / parseContractJson: their E_SCHEMA lists every bad field in `issues`. */
  listsIssues?: boolean;
}

/**
 * Checks that `error` is an EngineError with one of `codes`, whose message is its code, path and
 * detail, whose path starts at `rootLabel`, whose `issues` (when it has any) start with its own field,
 * and which survives the wire (toWire, JSON, fromWire).
 */
export function expectEngineError(
  error: unknown,
  codes: readonly ErrorCode[],
  { rootLabel = "", listsIssues = false }: ExpectedEngineError = {},
): asserts error is EngineError {
  if (!(error instanceof EngineError)) notADomainError(error, `an EngineError (${codes.join(", ")})`);
  const fail = (problem: string): never => {
    throw new Error(`${problem}: ${error.message}`);
  };
  if (!codes.includes(error.code)) fail(`code ${error.code} is not one of ${codes.join(", ")}`);
  if (error.detail.trim() === "") fail("the error has no detail");
  expectOwnWords(error.detail);
  const expectedMessage =
    error.path === "" ? `${error.code}: ${error.detail}` : `${error.code} at ${error.path}: ${error.detail}`;
  if (error.message !== expectedMessage) fail("the message is not code, path and detail");
  if (rootLabel !== "" && !(error.path === rootLabel || error.path.startsWith(rootLabel))) {
    fail(`the path does not start at ${rootLabel}`);
  }
  // parseContract's fallback for a schema or refinement that threw: on plain data it means a crash.
  if (error.detail.startsWith("could not be validated")) fail("validation itself threw");
  if (error.issues.length > 0 || listsIssues) {
    const first = error.issues[0];
    if (first === undefined || first.path !== error.path || first.detail !== error.detail) {
      fail("issues[0] is not the error's own field");
    }
  }
  const received = EngineError.fromWire(JSON.parse(JSON.stringify(error.toWire())));
  if (received.message !== error.message || received.issues.length !== error.issues.length) {
    fail("the error does not survive toWire / fromWire");
  }
}

/** Runs `action`; returns its value, or undefined after checking that it threw an accepted error. */
export function outcomeOf<T>(action: () => T, acceptError: (error: unknown) => void): T | undefined {
  try {
    return action();
  } catch (error) {
    acceptError(error);
    return undefined;
  }
}

/** outcomeOf for an async action. */
export async function asyncOutcomeOf<T>(
  action: () => Promise<T>,
  acceptError: (error: unknown) => void,
): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    acceptError(error);
    return undefined;
  }
}

/** -0 and 0 are the same number on the wire (JSON has no -0); compare values with it normalised. */
export function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutNegativeZero(item)]));
  }
  return value;
}
