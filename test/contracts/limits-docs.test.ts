/**
 * docs/reliability.md's table of limits is generated from LIMITS (src/contracts/limits.ts), with an
 * error message the checks really produce. To regenerate it after changing a limit:
 *
 *   UPDATE_SCHEMAS=1 npx vitest run test/contracts/limits-docs.test.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkGraph,
  EngineError,
  formatLimitValue,
  GraphDescriptorSchema,
  LIMITS,
  type LimitName,
  parseContract,
} from "../../src/contracts";
import { chainGraph } from "../api/limits-names-suite";

const UPDATE = process.env.UPDATE_SCHEMAS === "1";
const HOW_TO_FIX =
  "run `UPDATE_SCHEMAS=1 npx vitest run test/contracts/limits-docs.test.ts` and commit the result";
const DOCS_PAGE = new URL("../../docs/reliability.md", import.meta.url);
const BLOCK = /<!-- BEGIN GENERATED limits -->\n[\s\S]*?<!-- END GENERATED -->/g;

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;");
}

/** The message a graph of 5000 nodes gets, from the check itself. */
function exampleMessage(): string {
  try {
    checkGraph(parseContract(GraphDescriptorSchema, chainGraph(5000)), { rootLabel: "node_graph" });
  } catch (error) {
    if (error instanceof EngineError) return error.message;
    throw error;
  }
  throw new Error("a graph of 5000 nodes passed checkGraph");
}

function limitsBlock(): string {
  const rows = (Object.keys(LIMITS) as LimitName[]).map((name) => {
    const { what, why } = LIMITS[name];
    return `| \`${name}\` | ${cell(formatLimitValue(name))} | ${cell(what)} | ${cell(why)} |`;
  });
  return [
    "<!-- BEGIN GENERATED limits -->",
    "| Limit | Value | What it limits | Why this value |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "A RenderRequest whose graph has 5,000 nodes is rejected with:",
    "",
    "```text",
    exampleMessage(),
    "```",
    "<!-- END GENERATED -->",
  ].join("\n");
}

describe("docs/reliability.md limits table", () => {
  const page = readFileSync(DOCS_PAGE, "utf8");
  const blocks = page.match(BLOCK) ?? [];
  const text = page.replace(BLOCK, () => limitsBlock());

  it("has exactly one generated limits block, under ## Limits", () => {
    expect(blocks.length).toBe(1);
    const limitsSection = page.slice(
      page.indexOf("## Limits"),
      page.indexOf("\n## ", page.indexOf("## Limits") + 1),
    );
    expect(limitsSection).toContain("<!-- BEGIN GENERATED limits -->");
  });

  it("matches LIMITS", () => {
    if (UPDATE && text !== page) writeFileSync(DOCS_PAGE, text);
    expect(UPDATE ? text : page, `docs/reliability.md limits table is out of date: ${HOW_TO_FIX}`).toBe(text);
  });
});
