import { jobLine } from "../report/console.js";
import { logText } from "../report/json.js";
import { readReport } from "../report/merge.js";
import { loadConfig } from "../runner/configs.js";
import { runJob } from "../runner/run.js";
import { loadTestcase } from "../runner/testcases.js";
import { parseTarget } from "../targets/spec.js";
import { checkedInput, UsageError } from "./errors.js";

/**
 * `ltp-run replay RESULTS.json --tag T --config C`: reruns one job with the seed it had and
 * checks that the result and the log are the same.
 */
export async function replayCommand(from: string, opts: { tag: string; config: string; testcases?: string }): Promise<number> {
  const report = checkedInput(() => readReport(from));
  const recorded = report.results.find((r) => r.test_fqn === opts.tag && r.config === opts.config);
  if (!recorded) throw new UsageError(`${from}: no job ${opts.tag} on ${opts.config}`);
  const config = checkedInput(() => loadConfig(recorded.config_spec));
  const entry = { tag: recorded.test_fqn, command: recorded.test.command, args: recorded.test.arguments, where: from };
  const target = checkedInput(() => parseTarget(recorded.target === undefined || recorded.target === "emulated" ? "emulated" : report.ltp_run.target?.text ?? recorded.target));
  const r = await runJob({ entry, config: { spec: recorded.config_spec, config }, target, index: recorded.index }, recorded.seed, {
    load: (name) => loadTestcase(name, opts.testcases),
  });
  process.stdout.write(r.log.join("\n") + "\n\n" + jobLine(r) + "\n");
  const sameLog = logText(r.log) === recorded.test.log;
  const sameStatus = r.testStatus === recorded.test_status;
  const what = `replay of ${opts.tag} on ${opts.config} with seed ${recorded.seed}`;
  if (sameLog && sameStatus) {
    process.stdout.write(`${what}: same result (${r.testStatus}) and the same log\n`);
    return 0;
  }
  process.stdout.write(`${what} differs: ${sameStatus ? "" : `result ${recorded.test_status} -> ${r.testStatus}; `}${sameLog ? "same log" : "the log differs"}\n`);
  return 1;
}
