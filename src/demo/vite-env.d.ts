// What the demo reads of Vite's import.meta.env (the project does not load vite/client's types):
// DEV is true on the dev server and replaced by false in `vite build` (the static site).
interface ImportMetaEnv {
  readonly DEV: boolean;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
