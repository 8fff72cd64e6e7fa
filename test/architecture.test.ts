/**
 * The boundaries DESIGN.md draws inside src/linux, checked on the source: no import cycle
 * (type-only imports count: a header that imports an implementation ties the two together as
 * surely as a call does), headers that import only headers, and a build model that neither
 * imports the syscall handlers nor loads them when the resolver reads it.
 */
import t from "tap";
import madge from "madge";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { KERNEL_OBJECTS } from "../dist/src/linux/kbuild/objects.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * The import graph of the TypeScript sources under src/, as `madge --circular --extensions ts
 * --ts-config tsconfig.json` sees it: paths relative to src/, type-only imports included.
 */
async function importGraph(...dirs: string[]) {
  return madge(dirs.map((d) => join(root, "src", d)), {
    baseDir: join(root, "src"),
    fileExtensions: ["ts"],
    tsConfig: join(root, "tsconfig.json"),
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
}

/** The files that define syscall handlers: each emulated source file (kernel/kcmp.c is kernel/kcmp.ts). */
const HANDLER_FILES: readonly string[] = KERNEL_OBJECTS.map((o) => `linux/${o.path.replace(/\.c$/, ".ts")}`);

/** Every file `from` reaches through its imports. */
function reachable(graph: Record<string, string[]>, from: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...from];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(graph[f] ?? []));
  }
  return seen;
}

t.test("no import cycle among the src/linux files, nor anywhere in src/", async (t) => {
  const cycles = (await importGraph("linux")).circular();
  t.same(cycles.map((c) => c.join(" > ")), [], "madge --circular src/linux finds none");
  const all = (await importGraph("cli", "linux", "ltp", "report", "resolver", "runner", "targets")).circular();
  t.same(all.map((c) => c.join(" > ")), [], "madge --circular src finds none");
});

/** What a header may import: other headers, and the build model and CPU memory contract that sit below the kernel. */
const HEADER_MAY_IMPORT = [/^linux\/include\//, /^linux\/arch\/\w+\/include\//, /^linux\/kbuild\//, /^linux\/kconfig\//, /^linux\/arch\/x86\/cpu\/memory\.ts$/];

t.test("headers import no implementation", async (t) => {
  const graph = (await importGraph("linux")).obj();
  const headers = Object.keys(graph).filter((f) => f.startsWith("linux/include/"));
  t.ok(headers.length > 10, "the headers are in the graph");
  const wrong = headers.flatMap((h) => graph[h]!.filter((d) => !HEADER_MAY_IMPORT.some((re) => re.test(d))).map((d) => `${h} imports ${d}`));
  t.same(wrong, [], "no header imports kernel code");
});

t.test("the build model and the resolver import no handler", async (t) => {
  const graph = (await importGraph("linux", "resolver")).obj();
  t.ok(HANDLER_FILES.every((f) => f in graph), "every handler file is in the graph");
  const model = Object.keys(graph).filter((f) => f.startsWith("linux/kbuild/") || f.startsWith("resolver/"));
  const reached = reachable(graph, model);
  t.same(HANDLER_FILES.filter((f) => reached.has(f)), [], "kbuild/ and resolver/ reach no handler file");
  t.notOk(reached.has("linux/kernel/entry/syscall_table.ts"), "nor the table that binds the handlers");
});

/**
 * A module loader hook for the child process: it records the URL of every module loaded
 * (appending to the file named by its initialize() data, synchronously: the hooks run on a
 * thread of their own).
 */
const RECORD_LOADS = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  if (url.startsWith("file:")) appendFileSync(log, url + "\\n");
  return next(url, context);
}`;

t.test("ltp-run resolve loads no handler module", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ltp-run-arch-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "loaded.txt");
  // `ltp-run resolve kcmp --config minimal` itself, with a hook that records every module it loads.
  const register = join(dir, "register.mjs");
  writeFileSync(register, `
    import { register } from "node:module";
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RECORD_LOADS)}`)}, import.meta.url, { data: { log: ${JSON.stringify(log)} } });
  `);
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // tap's own loaders are not the resolver's
  const cli = join(root, "dist/src/cli/main.js");
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, cli, "resolve", "kcmp", "--config", "minimal"], { cwd: root, env, encoding: "utf8" });
  t.equal(r.status, 0, "the resolver ran", { stderr: r.stderr });
  t.match(r.stdout, "kernel/Makefile: obj-$(CONFIG_KCMP) += kcmp.o", "it resolved kcmp");
  const loaded = new Set(readFileSync(log, "utf8").split("\n").filter(Boolean).map((u) => fileURLToPath(u)));
  const distFile = (src: string) => join(root, "dist/src", src.replace(/\.ts$/, ".js"));
  t.ok(loaded.has(distFile("linux/kbuild/objects.ts")), "the hook saw the build model load");
  t.same(HANDLER_FILES.filter((f) => loaded.has(distFile(f))), [], "no handler module was loaded");
  t.notOk(loaded.has(distFile("linux/kernel/entry/syscall_table.ts")), "nor the handler table");
});
