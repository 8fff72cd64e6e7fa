import t from "tap";
import { gzipSync } from "node:zlib";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDotConfig, readDotConfig } from "../dist/src/linux/kconfig/dotconfig.js";
import { evalExpr, parseExpr } from "../dist/src/linux/kconfig/expr.js";
import { KernelConfig } from "../dist/src/linux/kconfig/config.js";
import { KCONFIG_SYMBOLS } from "../dist/src/linux/kconfig/symbols.js";
import { loadConfig, loadConfigs, shippedConfigs } from "../dist/src/runner/configs.js";

t.test(".config parsing", async (t) => {
  const v = parseDotConfig([
    "#", "# Automatically generated file; DO NOT EDIT.", "CONFIG_A=y", "# CONFIG_B is not set",
    'CONFIG_S="a \\"quoted\\" string"', "CONFIG_N=123", "CONFIG_H=0x1f", "CONFIG_M=m", "",
  ].join("\n"), "x.config");
  t.same([...v], [["A", "y"], ["B", "n"], ["S", 'a "quoted" string'], ["N", "123"], ["H", "0x1f"], ["M", "m"]]);
  t.throws(() => parseDotConfig("CONFIG_A=y\nnonsense here\n", "bad.config"), { message: /^bad\.config:2: not a \.config line/ });
  t.throws(() => parseDotConfig("CONFIG_A=maybe\n", "bad.config"), { name: "DotConfigError" });
  const dir = mkdtempSync(join(tmpdir(), "ltp-run-"));
  writeFileSync(join(dir, "config.gz"), gzipSync("CONFIG_KCMP=y\n# CONFIG_EXPERT is not set\n"));
  t.same([...readDotConfig(join(dir, "config.gz"))], [["KCMP", "y"], ["EXPERT", "n"]], "gzip'd input such as /proc/config.gz");
});

t.test("Kconfig expressions in tristate logic", async (t) => {
  const env: Record<string, string> = { A: "y", B: "m", C: "n", S: "x86" };
  const val = (n: string) => env[n] ?? "n";
  const ev = (s: string) => evalExpr(parseExpr(s), val);
  t.equal(ev("A && B"), 1, "y && m = m");
  t.equal(ev("A || C"), 2);
  t.equal(ev("!B"), 1, "!m = m");
  t.equal(ev("(AGP || AGP=n) && !C"), 2, "DRM's dependency shape");
  t.equal(ev('S = "x86"'), 2);
  t.equal(ev('S != "x86"'), 0);
  t.throws(() => parseExpr("A && (B"));
});

t.test("evaluation like kconfig", async (t) => {
  const minimal = loadConfig("minimal");
  const defconfig = loadConfig("defconfig");
  const full = loadConfig("full");
  t.equal(minimal.arch, "x86_64");
  t.equal(loadConfig("riscv64").arch, "riscv64");
  t.equal(loadConfig("nommu").value("MMU"), "n", "riscv's MMU has a prompt: nommu turns it off");
  t.equal(minimal.value("KCMP"), "n");
  t.equal(defconfig.value("KCMP"), "y", "defconfig: DRM selects KCMP");
  t.same(defconfig.explain("KCMP").selectedBy.filter((s) => s.active).map((s) => s.by), ["DRM"]);
  t.equal(full.value("KCMP"), "y", "distro: CHECKPOINT_RESTORE=y and DRM=m both select it; bool rounds m up");
  t.equal(defconfig.value("QUOTACTL"), "y", "a value an unmodeled symbol (QUOTA) selects is kept");

  const noProc = loadConfig("minimal+CONFIG_CHECKPOINT_RESTORE=y");
  t.equal(noProc.value("CHECKPOINT_RESTORE"), "n", "unmet depends on PROC_FS keeps it off");
  t.match(noProc.warnings.join("\n"), /CONFIG_CHECKPOINT_RESTORE=y was requested but stays n: it depends on PROC_FS/);
  const cr = loadConfig("minimal+CONFIG_PROC_FS=y+CONFIG_CHECKPOINT_RESTORE=y");
  t.equal(cr.value("KCMP"), "y", "CHECKPOINT_RESTORE selects KCMP");
  t.same(cr.warnings, []);
  t.equal(loadConfig("minimal+KCMP=y").value("KCMP"), "y", "KCMP's prompt shows with EXPERT=y (tinyconfig has it)");
  const hidden = loadConfig("defconfig+CONFIG_KCMP=n");
  t.equal(hidden.value("KCMP"), "y", "DRM still selects it");
  t.match(hidden.warnings.join("\n"), /stays y/);
  t.equal(loadConfig("defconfig+CONFIG_DRM=n").value("KCMP"), "n", "without DRM nothing selects KCMP on defconfig");
  t.not(minimal.fingerprint(), defconfig.fingerprint());
  t.equal(loadConfig("minimal").fingerprint(), minimal.fingerprint());
});

t.test("every shipped config agrees with its own file for modeled symbols", async (t) => {
  for (const name of shippedConfigs()) {
    const c = loadConfig(name);
    for (const s of KCONFIG_SYMBOLS) {
      const file = c.requested.get(s.name);
      if (!c.isModeled(s.name) || file === undefined || (s.type !== "bool" && s.type !== "tristate")) continue;
      const got = c.value(s.name);
      // kconfig writes m for tristates; a select from m leaves a bool at y.
      if (got !== file) t.fail(`${name}: CONFIG_${s.name} is ${file} in the file but evaluates to ${got}`);
    }
  }
  t.pass("checked");
});

t.test("config specs", async (t) => {
  t.same(loadConfigs("all").map((c) => c.config.name), shippedConfigs());
  t.same(loadConfigs("all").map((c) => c.spec), shippedConfigs(), "each keeps the spec a worker loads it again with");
  t.throws(() => loadConfigs("minimal,configs/minimal.config"), { message: /two configurations are both named minimal/ });
  t.same(shippedConfigs().slice(0, 3), ["minimal", "defconfig", "full"]);
  t.throws(() => loadConfig("nosuch"), { name: "ConfigSpecError" });
  t.throws(() => loadConfig("minimal+CONFIG_KCMP"), { message: /bad override/ });
  const dir = mkdtempSync(join(tmpdir(), "ltp-run-"));
  writeFileSync(join(dir, "bad.config"), "CONFIG_X86_64=y\nthis is not kconfig\n");
  t.throws(() => loadConfig(join(dir, "bad.config")), { message: /bad\.config:2/ });
  writeFileSync(join(dir, "arm.config"), "CONFIG_ARM64=y\nCONFIG_64BIT=y\n");
  t.throws(() => loadConfig(join(dir, "arm.config")), { message: /arm64 is not emulated/ });
  t.equal(new KernelConfig("x", new Map([["X86_64", "y"], ["64BIT", "y"]])).arch, "x86_64");
});
