import type { UserFunction } from "./target.js";

/**
 * Where the program's functions get their addresses: the text of a non-PIE x86-64 executable
 * starts at 0x401000, one function per FUNCTION_ALIGN bytes, in the order the test API asks
 * for them; the same on every target, so a handler's address is the same on each. On the
 * emulated kernel nothing is mapped there: the functions are the testcase's code, entered by
 * the kernel (a signal handler) through the target, never fetched as instructions. The host
 * agent has a 16-byte stub at each address that calls back into the runner.
 */
export const TEXT_BASE = 0x401000;
export const FUNCTION_ALIGN = 16;

/**
 * The program's functions by address, and their addresses, given out on first use; at most
 * `limit` of them (the host agent has a fixed number of stubs).
 */
export class ProgramFunctions {
  private readonly functions = new Map<number, UserFunction>();
  private readonly addresses = new Map<UserFunction, number>();

  constructor(private readonly limit = Infinity) {}

  codeAddress(fn: UserFunction): number {
    let addr = this.addresses.get(fn);
    if (addr === undefined) {
      if (this.functions.size >= this.limit) throw new Error(`the program has room for ${this.limit} functions`);
      addr = TEXT_BASE + this.functions.size * FUNCTION_ALIGN;
      this.functions.set(addr, fn);
      this.addresses.set(fn, addr);
    }
    return addr;
  }

  functionAt(addr: number): UserFunction | undefined {
    return this.functions.get(addr);
  }
}
