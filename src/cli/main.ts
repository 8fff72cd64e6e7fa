import { Command, CommanderError, Option } from "commander";
import { comparisonFormatNames } from "../report/compareformats.js";
import { reportOptions, reportPaths } from "./reportoptions.js";
import { jobsArg, positiveInt, timeoutArg } from "./args.js";
import { badInputMessage } from "./errors.js";
import { parseSeed } from "./seed.js";

const program = new Command()
  .name("ltp-run")
  .description("Run LTP-style testcases on emulated Linux kernel configurations, this machine's kernel or an emulator, and explain ENOSYS")
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str.split("\n")[0]! + "\n") })
  .showSuggestionAfterError(false);

/** What a run and a diff both take: which jobs, how many at once, how long each may take. */
function jobOptions(command: Command): Command {
  return command
    .option("-f, --runtest <files>", "runtest files, comma-separated: names in runtest/ or paths", "syscalls")
    .addOption(new Option("-j, --jobs <n>", "jobs run in parallel, each in a worker thread (default: the number of cores)").argParser(jobsArg))
    .option("-s, --run-regex <regex>", "run only the testcases whose tag matches")
    .option("-S, --skip-file <file>", "skip the testcases this file lists (whole tags, one per line, # comments)")
    .addOption(new Option("--timeout <seconds>", "seconds a testcase may take unless it sets its own .timeout (default 30)").argParser(timeoutArg))
    .option("--results-dir <dir>", "where each run's directory goes", "results")
    .option("--testcases <dir>", "where the compiled testcases are looked up (default: the package's)");
}

const run = jobOptions(program
  .command("run", { isDefault: true })
  .description("run the testcases of runtest files on configurations (the default command)"))
  .option("-c, --config <configs>", "configurations, comma-separated: a shipped name, a .config path, host, all; overrides with +CONFIG_X=y (default: minimal; host on the agent targets)")
  .option("-t, --target <target>", "what runs the testcases: emulated (the default), host (this machine's kernel), or an emulator's command line with {agent}: 'qemu-x86_64 {agent}'");
for (const option of reportOptions()) run.addOption(option);
run
  .addOption(new Option("--seed <n>", "the run's seed, up to 64 bits (default: random; with --shard, the CI's run id)").argParser((v) => parseSeed(v)))
  .option("--baseline <file>", "compare with an earlier run's JSON report: exit 1 on a regression only")
  .option("--update-baseline", "then write this run as the baseline (atomically)")
  .option("--expect <file>", "known failures (JSON): listed failures are XFAIL, listed passes XPASS")
  .addOption(new Option("--retries <n>", "rerun a failed or broken job up to n times; a pass on a rerun is FLAKY").argParser(positiveInt("--retries")))
  .option("--flaky-fails", "a FLAKY job fails the run")
  .option("--shard <i/n>", "run the i-th of n slices of the job matrix (merge the reports with ltp-run merge)")
  .option("--omit-syscall <names>", "link without these syscalls' handlers: a deliberately broken table, to try a CI gate")
  .action(async (opts) => {
    const { runCommand } = await import("./run.js");
    process.exitCode = await runCommand({ ...opts, reports: reportPaths(opts) });
  });

jobOptions(program
  .command("diff")
  .description("run every job on a target and on this machine's kernel, and show where they part ways: exit 1 on a divergence the --expect file does not explain"))
  .option("-t, --target <target>", "the target under test: emulated (the default, booted with the running kernel's config) or an emulator's command line with {agent}")
  .option("-c, --config <config>", "the configuration of the target under test (default: host, the running kernel's)")
  .addOption(new Option("--seed <n>", "the seed of both sides, up to 64 bits (default: random)").argParser((v) => parseSeed(v)))
  .option("--expect <file>", "divergences known and explained (the expectations format: test, config, case, reason)")
  .option("--json <path>", "also write the divergences as JSON here")
  .option("--omit-syscall <names>", "link the emulated kernel without these syscalls' handlers: a deliberately broken kernel, to see the diff catch it")
  .action(async (opts) => { process.exitCode = await (await import("./diff.js")).diffCommand(opts); });

program
  .command("resolve")
  .description("explain what a syscall resolves to on a configuration, and why")
  .argument("[syscalls...]", "syscall names or numbers")
  .option("-c, --config <config>", "the configuration (see run --config)", "minimal")
  .option("--all", "one line per table slot, with totals per category")
  .option("--json", "machine-readable output")
  .action(async (syscalls: string[], opts) => { process.exitCode = (await import("./resolve.js")).resolveCommand(syscalls, opts); });

program
  .command("list")
  .description("list the testcases of runtest files with what each declares it needs")
  .option("-f, --runtest <files>", "runtest files, comma-separated", "syscalls")
  .option("--testcases <dir>", "where the compiled testcases are looked up")
  .option("--json", "machine-readable output")
  .action(async (opts) => { process.exitCode = await (await import("./info.js")).listCommand(opts); });

program
  .command("configs")
  .description("list the shipped configurations and the modeled options that differ between them")
  .option("--json", "machine-readable output")
  .action(async (opts) => { process.exitCode = (await import("./info.js")).configsCommand(opts); });

program
  .command("compare")
  .description("compare two runs' JSON reports: exit 1 when the new one has a regression")
  .argument("<old>", "the earlier run's JSON report (a baseline)")
  .argument("<new>", "the later run's JSON report")
  .option("--format <format>", comparisonFormatNames(), "text")
  .option("--flaky-fails", "count FLAKY as failing")
  .action(async (oldPath: string, newPath: string, opts) => { process.exitCode = (await import("./reports.js")).compareCommand(oldPath, newPath, opts); });

program
  .command("baseline")
  .description("manage baselines")
  .command("save")
  .description("make a run's JSON report the baseline (atomically)")
  .argument("<results>", "a run's results.json")
  .argument("<baseline>", "the baseline file to write")
  .action(async (from: string, to: string) => { process.exitCode = (await import("./reports.js")).baselineSaveCommand(from, to); });

program
  .command("expect")
  .description("write a starting expectations file from a run's failures (each needs a reason before use)")
  .requiredOption("--from <results>", "a run's results.json")
  .option("-o, --output <file>", "where to write it (default: stdout)")
  .action(async (opts) => { process.exitCode = (await import("./reports.js")).expectCommand(opts); });

program
  .command("replay")
  .description("rerun one job of a run with its recorded seed and check it gives the same result and log")
  .argument("<results>", "the run's results.json")
  .requiredOption("--tag <tag>", "the job's tag")
  .requiredOption("-c, --config <config>", "the job's configuration name")
  .option("--testcases <dir>", "where the compiled testcases are looked up")
  .action(async (from: string, opts) => { process.exitCode = await (await import("./replay.js")).replayCommand(from, opts); });

const merge = program
  .command("merge")
  .description("merge the JSON reports of a run's shards into one")
  .argument("<reports...>", "the shards' JSON reports")
  .requiredOption("-o, --output <file>", "the merged JSON report");
for (const option of reportOptions()) merge.addOption(option);
merge.action(async (paths: string[], opts) => {
  const { mergeCommand } = await import("./reports.js");
  process.exitCode = await mergeCommand(paths, { output: opts.output, reports: reportPaths(opts) });
});

/*
 * A reader that goes away (`ltp-run ... | head`) closes the pipe: what a person would have read
 * is lost, but the run goes on to its reports and its exit code instead of dying of EPIPE.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
  });
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0 ? 0 : 2;
  } else if (badInputMessage(e) !== undefined) {
    process.stderr.write(`ltp-run: ${badInputMessage(e)}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`ltp-run: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  }
}
