import type { LinkedKernel } from "../linux/kbuild/link.js";
import { link } from "../linux/kbuild/link.js";
import { loadConfig } from "../runner/configs.js";
import type { AddressSpace } from "./args.js";
import { addressSpace, bootForFuzz, runProgram, type Finding, type RunOptions } from "./execute.js";
import { minimize, signature } from "./minimize.js";
import { ProgramGenerator, type Program } from "./program.js";

/** What one fuzzing session of one configuration is given. */
export interface SessionOptions extends RunOptions {
  readonly config: string;
  /** Calls per task at most, and how deep children nest. */
  readonly length: number;
  readonly depth: number;
}

/** A configuration made ready to fuzz: linked once, its address space known, its programs generated from the seed. */
export class FuzzTarget {
  readonly linked: LinkedKernel;
  readonly generator: ProgramGenerator;

  constructor(readonly options: SessionOptions) {
    this.linked = link(loadConfig(options.config));
    this.generator = new ProgramGenerator(this.linked, spaceOf(this.linked, options), options);
  }

  /** The seed of program `index`: the session's seed, the configuration and the index mixed. */
  programSeed(index: number): number {
    let h = Math.imul(this.options.seed ^ 0x9e3779b9, 0x85ebca6b) ^ index;
    for (const ch of this.options.config) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    h ^= h >>> 16;
    return Math.imul(h, 0x7feb352d) >>> 0;
  }

  program(index: number): Program {
    return this.generator.generate(this.programSeed(index));
  }

  run(program: Program): ReturnType<typeof runProgram> {
    return runProgram(this.linked, program, this.options);
  }

  /** The program cut down to the calls the finding needs (delta debugging, in this thread). */
  minimize(program: Program, finding: Finding): Promise<Program> {
    const want = signature(finding);
    return minimize(program, async (p) => (await this.run(p)).findings.some((f) => signature(f) === want));
  }
}

/** The address space every program of this configuration starts with (the same in every boot). */
function spaceOf(linked: LinkedKernel, options: RunOptions): AddressSpace {
  const kernel = bootForFuzz(linked, options.seed, options.mem, async () => {});
  return addressSpace(kernel, kernel.init!);
}
