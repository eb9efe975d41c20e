// How @custom-elements-manifest/analyzer reads <webdreamer-player> and <webdreamer-studio>
// (scripts/build-manifest.mjs runs it): the source of src/components/ and src/studio/ with Lit's
// `static properties`, public members only.
import { litStateIsNotAnAttribute, publicMembersOnly } from "./scripts/manifest-plugins.mjs";

export default {
  globs: ["src/components/**/*.ts", "src/studio/**/*.ts"],
  litelement: true,
  // package.json's "customElements" field is written by hand: the analyzer would point it at its outdir.
  packagejson: false,
  plugins: [litStateIsNotAnAttribute(), publicMembersOnly()],
};
