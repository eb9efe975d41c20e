/**
 * Fuzzing every v1alpha contract parser: parseContract with each schema on arbitrary values and on
 * mutations of the documented example, parseContractJson on arbitrary and mutated text.
 *
 * Properties: a rejection is always a well-formed EngineError E_SCHEMA naming a field under the root
 * label (never a TypeError, never validation itself throwing); an accepted value is a fixed point
 * (parsing the output again gives the output) and, for text input, survives JSON again unchanged.
 */
import fc from "fast-check";
import { describe, expect } from "vitest";

import { CONTRACT_EXAMPLES, CONTRACT_NAMES, CONTRACTS, type ContractName } from "../../src/contracts/index";
import { parseContract, parseContractJson } from "../../src/contracts/validate";
import { fuzz } from "./support/harness";
import { mutatedJson, mutatedText } from "./support/json-mutations";
import { expectEngineError, outcomeOf, withoutNegativeZero } from "./support/outcomes";

const ROOT = "input";

function parsesOrRejects(name: ContractName, value: unknown): unknown {
  const { schema } = CONTRACTS[name];
  const parsed = outcomeOf(
    () => parseContract(schema, value, ROOT),
    (error) => expectEngineError(error, ["E_SCHEMA"], { rootLabel: ROOT, listsIssues: true }),
  );
  if (parsed !== undefined) {
    // What a boundary accepted is what the next boundary accepts, unchanged.
    expect(parseContract(schema, parsed, ROOT)).toEqual(parsed);
  }
  return parsed;
}

function parsesTextOrRejects(name: ContractName, text: string): void {
  const { schema } = CONTRACTS[name];
  const parsed = outcomeOf(
    () => parseContractJson(schema, text, ROOT),
    (error) => expectEngineError(error, ["E_SCHEMA"], { rootLabel: ROOT, listsIssues: true }),
  );
  if (parsed !== undefined) {
    const again = parseContractJson(schema, JSON.stringify(parsed), ROOT);
    expect(withoutNegativeZero(again)).toEqual(withoutNegativeZero(parsed));
  }
}

const textBytes = (text: string) => text.length * 2;

describe.each(CONTRACT_NAMES)("fuzz %s", (name) => {
  const example = CONTRACT_EXAMPLES[name];
  const exampleText = JSON.stringify(example);

  fuzz(
    `parseContract(${CONTRACTS[name].title}) on arbitrary values`,
    fc.anything(),
    (value) => {
      parsesOrRejects(name, value);
    },
    { quickRuns: 25 },
  );

  fuzz(
    `parseContract(${CONTRACTS[name].title}) on mutations of the documented example`,
    mutatedJson(example),
    (value) => {
      parsesOrRejects(name, value);
    },
    { quickRuns: 50, examples: [example] },
  );

  fuzz(
    `parseContractJson(${CONTRACTS[name].title}) on arbitrary and mutated text`,
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      mutatedText(exampleText),
      mutatedJson(example).map((value) => JSON.stringify(value) ?? "null"),
    ),
    (text) => parsesTextOrRejects(name, text),
    { quickRuns: 30, inputBytes: textBytes, examples: [exampleText] },
  );
});
