// What the demo reads of Vite's import.meta.env (the project does not load vite/client's types):
// DEV is true on the dev server and in the browser tests' development-mode build
// (scripts/build-e2e-pages.mjs), and replaced by false in the production `vite build` (the static site).
interface ImportMetaEnv {
  readonly DEV: boolean;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
