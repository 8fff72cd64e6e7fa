/**
 * LTP's test options (struct tst_option and tst_parse_*): a testcase declares them as
 * `options: { "n:": "Number of processes" }` in getopt's notation (a trailing ':' takes a
 * value, none is a flag); the arguments after the command on the runtest line are parsed
 * before setup, and the testcase reads them with tst_option().
 */
import { EINVAL, ERANGE } from "../../linux/include/uapi/errno.js";
import { job } from "../context.js";

/** The parsed options, or the message of the first bad one (getopt's wording). */
export function parseOptions(spec: Readonly<Record<string, string>>, args: readonly string[]): Map<string, string> | string {
  const takesValue = new Map<string, boolean>();
  for (const key of Object.keys(spec)) takesValue.set(key.replace(/:$/, ""), key.endsWith(":"));
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") break;
    if (!a.startsWith("-") || a === "-") continue;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const value = takesValue.get(c);
      if (value === undefined) return `invalid option -- '${c}'`;
      if (!value) {
        out.set(c, "");
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest) out.set(c, rest);
      else if (i + 1 < args.length) out.set(c, args[++i]!);
      else return `option requires an argument -- '${c}'`;
      break;
    }
  }
  return out;
}

/** The usage lines LTP prints for a bad option: each declared option and its help. */
export function optionsHelp(spec: Readonly<Record<string, string>>): string[] {
  return Object.entries(spec).map(([k, help]) => `-${k.replace(/:$/, "")}${k.endsWith(":") ? " <value>" : ""}\t${help}`);
}

/** The value given for an option ("" for a flag that was given), or undefined when it was not. */
export function tst_option(opt: string): string | undefined {
  return job().options.get(opt.replace(/:$/, ""));
}

/**
 * tst_parse_int(): ret is 0 with the value, EINVAL for text that is not a whole number, or
 * ERANGE outside [min, max]; an option that was not given parses to ret 0 and no value (the
 * testcase keeps its default).
 */
export function tst_parse_int(str: string | undefined, min: number, max: number): { ret: number; value?: number } {
  if (str === undefined) return { ret: 0 };
  if (!/^\s*[-+]?(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i.test(str)) return { ret: EINVAL };
  const t = str.trim();
  const neg = t.startsWith("-");
  const body = t.replace(/^[-+]/, "");
  const v = (neg ? -1 : 1) * (/^0x/i.test(body) ? parseInt(body, 16) : /^0[0-7]+$/.test(body) ? parseInt(body, 8) : parseInt(body, 10));
  if (v < min || v > max || v < -(2 ** 63) || v > 2 ** 63) return { ret: ERANGE };
  return { ret: 0, value: v };
}
