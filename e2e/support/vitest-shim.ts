/**
 * Just enough of Vitest's API (describe, it, beforeEach, afterEach, expect) to run a suite written
 * for Vitest inside a browser page, so a suite is written once and runs in Node and in Chromium.
 * Vite serves this module for "vitest" in browser pages (see vite.config.ts). `expect` is Vitest's
 * own (@vitest/expect on chai).
 */
import { chai, JestAsymmetricMatchers, JestChaiExpect, JestExtend } from "@vitest/expect";

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

type Hook = () => unknown | Promise<unknown>;

interface Suite {
  name: string;
  tests: { name: string; run: Hook }[];
  children: Suite[];
  beforeEach: Hook[];
  afterEach: Hook[];
}

const root: Suite = { name: "", tests: [], children: [], beforeEach: [], afterEach: [] };
let current = root;

export function describe(name: string, body: () => void): void {
  const suite: Suite = { name, tests: [], children: [], beforeEach: [], afterEach: [] };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    body();
  } finally {
    current = parent;
  }
}

export function it(name: string, run: Hook): void {
  current.tests.push({ name, run });
}
export const test = it;

export function beforeEach(hook: Hook): void {
  current.beforeEach.push(hook);
}

export function afterEach(hook: Hook): void {
  current.afterEach.push(hook);
}

export const expect = chai.expect as unknown as typeof import("vitest").expect;

export interface TestOutcome {
  name: string;
  passed: boolean;
  error?: string;
}

/** Runs every collected test in order, with its suites' hooks, and reports each outcome. */
export async function runCollected(): Promise<TestOutcome[]> {
  const outcomes: TestOutcome[] = [];
  const visit = async (suite: Suite, path: Suite[]): Promise<void> => {
    const chain = [...path, suite];
    for (const test of suite.tests) {
      const name = [...chain.map((s) => s.name).filter(Boolean), test.name].join(" > ");
      try {
        for (const s of chain) for (const hook of s.beforeEach) await hook();
        try {
          await test.run();
        } finally {
          for (const s of [...chain].reverse()) for (const hook of s.afterEach) await hook();
        }
        outcomes.push({ name, passed: true });
      } catch (error) {
        outcomes.push({ name, passed: false, error: String((error as Error)?.stack ?? error) });
      }
    }
    for (const child of suite.children) await visit(child, chain);
  };
  await visit(root, []);
  return outcomes;
}
