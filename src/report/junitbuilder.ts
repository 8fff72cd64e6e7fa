import { XmlElement, xmlDocument } from "./xml.js";

/*
 * JUnit XML as Jenkins, GitLab and GitHub's test reporters read it (the schema Jenkins'
 * junit plugin documents): <testsuites> of <testsuite>s of <testcase>s, each with at most one
 * of <failure>, <error>, <skipped>, then <system-out> and <system-err>.
 */

type Outcome = { kind: "failure" | "error"; message: string; type: string; text?: string } | { kind: "skipped"; message: string };

/** One <testcase>. */
export class JunitCase {
  private readonly properties: [string, string][] = [];
  private outcome: Outcome | undefined;
  private out: string | undefined;
  private err: string | undefined;

  constructor(readonly className: string, readonly name: string, readonly timeSeconds?: number) {}

  property(name: string, value: string): this {
    this.properties.push([name, value]);
    return this;
  }

  /** A failed assertion (TFAIL), with the test's output. */
  failure(message: string, type: string, text?: string): this {
    this.outcome = { kind: "failure", message, type, ...(text === undefined ? {} : { text }) };
    return this;
  }

  /** The test could not run to the end (TBROK, or it never ran). */
  error(message: string, type: string, text: string): this {
    this.outcome = { kind: "error", message, type, text };
    return this;
  }

  /** Skipped, with the reason: CI systems show the message. */
  skipped(message: string): this {
    this.outcome = { kind: "skipped", message };
    return this;
  }

  systemOut(text: string): this {
    this.out = text;
    return this;
  }

  systemErr(text: string): this {
    this.err = text;
    return this;
  }

  get kind(): Outcome["kind"] | undefined {
    return this.outcome?.kind;
  }

  write(parent: XmlElement): void {
    const tc = parent.child("testcase").attr("classname", this.className).attr("name", this.name);
    if (this.timeSeconds !== undefined) tc.attr("time", this.timeSeconds);
    writeProperties(tc, this.properties);
    const o = this.outcome;
    if (o?.kind === "skipped") tc.child("skipped").attr("message", o.message);
    else if (o) {
      const element = tc.child(o.kind).attr("message", o.message).attr("type", o.type);
      if (o.text !== undefined) element.cdata(o.text);
    }
    if (this.out !== undefined) tc.child("system-out").cdata(this.out);
    if (this.err !== undefined) tc.child("system-err").cdata(this.err);
  }
}

function writeProperties(parent: XmlElement, properties: readonly [string, string][]): void {
  if (!properties.length) return;
  const list = parent.child("properties");
  for (const [name, value] of properties) list.child("property").attr("name", name).attr("value", value);
}

/** The counts a <testsuite> and <testsuites> carry as attributes. */
function countAttributes(element: XmlElement, cases: readonly JunitCase[]): void {
  const n = (kind: Outcome["kind"]) => cases.filter((c) => c.kind === kind).length;
  element.attr("tests", cases.length).attr("failures", n("failure")).attr("errors", n("error")).attr("skipped", n("skipped"));
}

/** One <testsuite>. */
export class JunitSuite {
  private readonly properties: [string, string][] = [];
  readonly cases: JunitCase[] = [];

  /** `timestamp`: ISO 8601 without a zone, as the schema has it. */
  constructor(readonly name: string, readonly timestamp?: string) {}

  property(name: string, value: string): this {
    this.properties.push([name, value]);
    return this;
  }

  testCase(className: string, name: string, timeSeconds?: number): JunitCase {
    const c = new JunitCase(className, name, timeSeconds);
    this.cases.push(c);
    return c;
  }

  write(parent: XmlElement): void {
    const suite = parent.child("testsuite").attr("name", this.name);
    if (this.timestamp !== undefined) suite.attr("timestamp", this.timestamp);
    countAttributes(suite, this.cases);
    writeProperties(suite, this.properties);
    for (const c of this.cases) c.write(suite);
  }
}

/** The document: <testsuites> with the totals, and every suite. */
export function junitDocument(suites: readonly JunitSuite[]): string {
  const root = new XmlElement("testsuites");
  countAttributes(root, suites.flatMap((s) => s.cases));
  for (const s of suites) s.write(root);
  return xmlDocument(root);
}
