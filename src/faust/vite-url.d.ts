// Vite's `?url` suffix: the import is the URL Vite serves the file at (vite/client declares the same;
// this project does not pull in vite/client's DOM-only globals).
declare module "*?url" {
  const url: string;
  export default url;
}
