/**
 * Entry of the command line, bundled as dist/node/cli.mjs (with dist/node/cli-worker.mjs beside it) by
 * scripts/build-cli.mjs and started by bin/webdreamer.mjs.
 */
import { EXIT_RENDER_FAILED, runCli } from "./run-cli";

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(
      `webdreamer: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = EXIT_RENDER_FAILED;
  },
);
