// Types of scripts/serve-static.mjs for TypeScript importers (the e2e specs); keep beside the script.
import type { Server } from "node:http";

export declare const MIME_TYPES: Readonly<Record<string, string>>;
export declare const ISOLATION_HEADERS: Readonly<Record<string, string>>;
export declare const CDN_HEADERS: Readonly<Record<string, string>>;

export interface ServeStaticOptions {
  /** The folder to serve. */
  root: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where the folder appears in URLs: "/" (the default) or e.g. "/some/dir/". */
  prefix?: string;
  /** Send COOP/COEP so pages are cross-origin isolated (default false). */
  isolated?: boolean;
  /** Send CORS and CORP headers, as a CDN does, so pages on other origins may load the files (default false). */
  cors?: boolean;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface StaticServer {
  server: Server;
  /** The folder's URL, ending in "/": e.g. http://127.0.0.1:40123/some/dir/ */
  url: string;
  close(): Promise<void>;
}

export declare function serveStatic(options: ServeStaticOptions): Promise<StaticServer>;
