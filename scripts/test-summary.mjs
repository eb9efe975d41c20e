#!/usr/bin/env node
// Prints, at the very end of `npm test`, every test that failed or only passed on a retry, with the
// first lines of its error, from the JSON reports of Vitest and Playwright (scripts/test-e2e.sh).
// Each phase's own log is hundreds of lines long and the failures sit in the middle of it; a CI
// page that shows only the tail of the output still shows this.
//
// Usage: node scripts/test-summary.mjs <label>=<report.json> ...   (a missing report is said so)
import { existsSync, readFileSync } from "node:fs";

const ERROR_LINES = 8;
const LINE_CHARS = 240;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character starts a colour code
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

function firstLines(message) {
  return stripAnsi(message ?? "")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !/^\s+at /.test(line)) // the message, not the stack
    .slice(0, ERROR_LINES)
    .map((line) => (line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line));
}

/** Vitest's JSON reporter: a file's own error (a hook, an import) and each failed test. */
function vitestProblems(report) {
  const problems = [];
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const failed = tests.filter((test) => test.status === "failed");
    for (const test of failed) {
      problems.push({
        kind: "failed",
        name: `${file.name} > ${test.fullName}`,
        error: test.failureMessages?.[0],
      });
    }
    // A test that passed on a retry keeps the errors of its failed tries.
    for (const test of tests.filter((test) => test.status === "passed" && test.failureMessages?.length > 0)) {
      problems.push({
        kind: "flaky (passed on a retry)",
        name: `${file.name} > ${test.fullName}`,
        error: test.failureMessages[0],
      });
    }
    if (file.status === "failed" && failed.length === 0) {
      problems.push({ kind: "failed", name: file.name, error: file.message });
    }
  }
  return problems;
}

/** Playwright's JSON reporter: suites nest; a spec's test has a status per project. */
function playwrightProblems(report) {
  const problems = [];
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== "unexpected" && test.status !== "flaky") continue;
        const failedRun = (test.results ?? []).find(
          (result) => result.status !== "passed" && result.status !== "skipped",
        );
        const where = `${spec.file}:${spec.line}`;
        problems.push({
          kind: test.status === "flaky" ? "flaky (passed on a retry)" : "failed",
          name: `[${test.projectName}] ${where} › ${[...path, spec.title].join(" › ")}`,
          error: failedRun?.error?.message ?? failedRun?.status,
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, child.title ? [...path, child.title] : path);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const error of report.errors ?? [])
    problems.push({ kind: "error", name: "(outside any test)", error: error.message });
  return problems;
}

let any = false;
console.log("\n[test] summary: every failure and every retry, by phase");
for (const argument of process.argv.slice(2)) {
  const [label, file] = argument.split("=");
  if (!existsSync(file)) {
    console.log(`  ${label}: no report (the phase did not run, or stopped before writing it)`);
    any = true;
    continue;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.log(`  ${label}: its report is not JSON (${error.message})`);
    any = true;
    continue;
  }
  const problems = "testResults" in report ? vitestProblems(report) : playwrightProblems(report);
  for (const problem of problems) problem.name = problem.name.replaceAll(`${process.cwd()}/`, "");
  if (problems.length === 0) {
    console.log(`  ${label}: no failures, no retries`);
    continue;
  }
  any = true;
  console.log(`  ${label}:`);
  for (const problem of problems) {
    console.log(`    ${problem.kind}: ${problem.name}`);
    for (const line of firstLines(problem.error)) console.log(`      ${line}`);
  }
}
if (!any) console.log("  all clear");
