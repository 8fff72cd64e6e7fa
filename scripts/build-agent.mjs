#!/usr/bin/env node
// Builds the host target's native agent (src/targets/host/agent) into dist/agent with the
// system C compiler ($CC, else cc): npm install's prepare step, after tsc. Where there is no
// C compiler, or no port of the agent to its arch, it says so in one line, leaves the reason
// beside the agent's place (the host target repeats it) and exits 0: the install succeeds
// and only the host target is unavailable. A compiler that fails on the sources is an error.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, "src", "targets", "host", "agent");
const outDir = join(root, "dist", "agent");
const out = join(outDir, "ltp-host-agent");
const missing = join(outDir, "ltp-host-agent.missing");
const cc = process.env.CC || "cc";

/** Flags only some arches' compilers know: x86's CET markers would add notes the agent discards. */
const ARCH_FLAGS = { x86_64: ["-fcf-protection=none"] };

function unavailable(reason) {
  mkdirSync(outDir, { recursive: true });
  rmSync(out, { force: true });
  writeFileSync(missing, `${reason}\n`);
  console.log(`ltp-run: the host target's agent was not built: ${reason}`);
  process.exit(0);
}

const probe = spawnSync(cc, ["-dumpmachine"], { encoding: "utf8" });
if (probe.error || probe.status !== 0) unavailable(`no C compiler (${cc}) was found`);
const arch = probe.stdout.trim().split("-")[0];
const archDir = join(src, "arch", arch);
if (!existsSync(archDir)) unavailable(`the agent has no port to ${arch} (${cc} builds for ${probe.stdout.trim()})`);

const includes = [`-I${src}`, `-I${archDir}`];
const tmp = mkdtempSync(join(tmpdir(), "ltp-agent-build-"));
try {
  const script = join(tmp, "agent.ld");
  // The linker script takes the addresses from layout.h through the preprocessor.
  run([...includes, "-E", "-P", "-undef", "-nostdinc", "-x", "c", join(src, "agent.ld"), "-o", script]);
  const sources = [
    ...readdirSync(src).filter((f) => f.endsWith(".c")).map((f) => join(src, f)),
    ...readdirSync(archDir).filter((f) => f.endsWith(".S") || f.endsWith(".c")).map((f) => join(archDir, f)),
  ];
  mkdirSync(outDir, { recursive: true });
  run([
    "-O2", "-g", "-static", "-nostdlib", "-nostdinc", "-ffreestanding", "-fno-builtin", "-fno-stack-protector", "-fno-pie", "-no-pie",
    // No C library at all, not even its headers: a bare compiler builds it (no libc6-dev). The
    // agent's memset and memcpy are loops the optimizer would otherwise turn into calls to themselves.
    "-fno-tree-loop-distribute-patterns",
    "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", ...(ARCH_FLAGS[arch] ?? []),
    "-Wall", "-Wextra", "-Werror", "-Wl,--build-id=none", "-Wl,-z,noexecstack",
    ...includes, "-T", script, "-o", out, ...sources,
  ]);
  rmSync(missing, { force: true });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

function run(args) {
  const r = spawnSync(cc, args, { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(r.stderr || String(r.error));
    console.error(`ltp-run: building the host target's agent with ${cc} failed`);
    process.exit(1);
  }
}
