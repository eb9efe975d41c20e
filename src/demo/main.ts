// The live demo page: <webdreamer-studio> as its main view; one <webdreamer-player> playing its
// default patch, whether the page is cross-origin isolated (both work either way; they only pick a
// different data plane); a WAM
// effect to insert at the end of the patch with its own GUI, and the plugins discovery finds.
import "../components/webdreamer-player";
import "../studio/studio-element";
import type { WebdreamerStudio } from "../studio/studio-element";
import { corpusServed, demoDiscoveryRoots, FIXTURE_WAM, PINGPONG_DELAY } from "./demo-plugins";
import { attachPluginList } from "./plugin-list";
import { WamInsert } from "./wam-insert";

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`demo page markup is incomplete: ${selector} is missing`);
  return found;
}

element("#isolated").textContent = self.crossOriginIsolated
  ? "yes (SharedArrayBuffer available)"
  : "no (message-port fallback)";

const corpus = corpusServed();

void corpus.then((served) => {
  const wam = served ? PINGPONG_DELAY : FIXTURE_WAM;
  element("#wam-source").textContent = served
    ? `${wam.name}, a third-party plugin from the wam-community package, served beside this page.`
    : `The wam-community plugins are not served here (this site does not ship them: the package states no licence), so the demo inserts ${wam.name}, webdreamer's own test plugin.`;
  const toggle = element<HTMLButtonElement>("#wam-toggle");
  toggle.disabled = false;
  new WamInsert(element("webdreamer-player"), { toggle, gui: element("#wam-gui") }, wam);
  // The studio's device picker offers the WAMs the plugin list scans: the fixture, and the
  // wam-community plugins where the dev server serves them, less BigMuff (the list's deliberate
  // failure: it does not load as shipped).
  element<WebdreamerStudio>("webdreamer-studio").wamRoots = demoDiscoveryRoots(location.href, served)
    .filter((root) => root.kind !== "faust-url")
    .map((root) =>
      root.kind === "wam-descriptors"
        ? { ...root, files: root.files?.filter((file) => !file.includes("BigMuff")) }
        : root,
    );
});

attachPluginList(
  {
    button: element<HTMLButtonElement>("#scan"),
    summary: element("#scan-summary"),
    table: element<HTMLTableElement>("#plugin-table"),
    failures: element<HTMLUListElement>("#scan-failures"),
  },
  corpus,
);
