import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The agent's file name, and where `npm install` (scripts/build-agent.mjs) builds it, under the package. */
export const AGENT_NAME = "ltp-host-agent";
export const AGENT_DIR = join("dist", "agent");
/** What the build leaves beside the agent's place when it could not build it: the reason, one line. */
export const AGENT_MISSING_NOTE = `${AGENT_NAME}.missing`;

/** The host target cannot run: its agent was not built (no C compiler) or is not where it was said to be. */
export class HostAgentMissingError extends Error {
  override name = "HostAgentMissingError";
}

function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** The agent npm install built: dist/agent/ltp-host-agent of the package. */
export function defaultAgentPath(): string {
  return join(packageDir(), AGENT_DIR, AGENT_NAME);
}

/** The agent's path, checked to be an executable file; else one clear error saying what is missing and how to get it. */
export function findAgent(path = defaultAgentPath()): string {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    const note = join(dirname(path), AGENT_MISSING_NOTE);
    const why = existsSync(note) ? readFileSync(note, "utf8").trim() : `${path} does not exist`;
    throw new HostAgentMissingError(
      `the host target needs its native agent, which npm install builds with the system C compiler: ${why}; ` +
      "install a C compiler (Debian: apt-get install gcc) and run npm run build",
    );
  }
}
