/**
 * WAM loading and discovery in Chromium: the one loader (origin policy, import maps, errors naming the
 * URL), descriptors of real plugins (the wam-community corpus under /wam-corpus/), discovery roots.
 */
import { expect, test } from "@playwright/test";
import type { WamLoadPolicy } from "../src/api/wam-load-policy";
import type { NodeDescriptor } from "../src/contracts/node-descriptor";

type Outcome<T> = { value: T } | { error: { code: string; path: string; message: string } };

declare global {
  interface Window {
    loadAndDescribe(url: string, policy?: WamLoadPolicy, offline?: boolean): Promise<Outcome<NodeDescriptor>>;
  }
}

test("smoke: pingpongdelay loads and is described", async ({ page }) => {
  await page.goto("/e2e/pages/wam-discovery.html");
  const result = await page.evaluate(() =>
    window.loadAndDescribe("/wam-corpus/plugins/wimmics/pingpongdelay/dist/index.js", {}, true),
  );
  console.log(JSON.stringify(result, null, 1));
});
