import { Command, CommanderError, Option } from "commander";
import { runCommand } from "./run.js";
import { resolveCommand } from "./resolve.js";
import { UsageError } from "./errors.js";

const program = new Command()
  .name("ltp-run")
  .description("Run LTP-style testcases against emulated Linux kernel configurations, and explain ENOSYS")
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str.split("\n")[0]! + "\n") })
  .showSuggestionAfterError(false);

program
  .command("run", { isDefault: true })
  .description("run the testcases of runtest files on configurations (the default command)")
  .option("-f, --runtest <files>", "runtest files, comma-separated: names in runtest/ or paths", "syscalls")
  .option("-c, --config <configs>", "configurations, comma-separated: a shipped name, a .config path, host, all; overrides with +CONFIG_X=y", "minimal")
  .option("--junit <path>", "also write the JUnit XML report here")
  .option("--results-dir <dir>", "where each run's directory goes", "results")
  .addOption(new Option("--seed <n>", "the run's seed (default: random)").argParser((v) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`--seed takes a non-negative integer, not ${JSON.stringify(v)}`);
    return Number(v) >>> 0;
  }))
  .action(async (opts) => { process.exitCode = await runCommand(opts); });

program
  .command("resolve")
  .description("explain what a syscall resolves to on a configuration, and why")
  .argument("[syscalls...]", "syscall names or numbers")
  .option("-c, --config <config>", "the configuration (see run --config)", "minimal")
  .option("--all", "one line per table slot, with totals per category")
  .option("--json", "machine-readable output")
  .action((syscalls: string[], opts) => { process.exitCode = resolveCommand(syscalls, opts); });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`ltp-run: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`ltp-run: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  }
}
