import type { MmStruct } from "../linux/include/linux/mm_types.js";
import { SA_RESTART, SA_RESTORER, SA_SIGINFO } from "../linux/include/uapi/signal.js";

/**
 * Well-formed structures a fuzzed call can be pointed at, written into the data segment before
 * the program starts: without them nearly every pointer argument would end in EFAULT or
 * EINVAL before the code behind the check runs. Each structure has its own page.
 */

/** Where the handler and restorer "code" is: nothing is mapped there, the fuzzer's userCode hook runs it. */
export const HANDLER_ADDR = 0x40000100;
export const RESTORER_ADDR = 0x40000200;

const u64 = (v: number | bigint) => BigInt.asUintN(64, BigInt(v));

function bytes(fill: (v: DataView) => void, len: number): Uint8Array {
  const b = new Uint8Array(len);
  fill(new DataView(b.buffer));
  return b;
}

const text = (s: string) => new TextEncoder().encode(s + "\0");

/** The structures, in page order from the scratch base. */
function structures(dataStart: number): Uint8Array[] {
  return [
    text("/tmp/fz"),
    text("."),
    // struct sigaction (kernel layout): handler, flags, restorer, mask.
    bytes((v) => {
      v.setBigUint64(0, u64(HANDLER_ADDR), true);
      v.setBigUint64(8, u64(SA_SIGINFO | SA_RESTART | SA_RESTORER), true);
      v.setBigUint64(16, u64(RESTORER_ADDR), true);
    }, 32),
    // struct timespec: 1 us.
    bytes((v) => v.setBigInt64(8, 1000n, true), 16),
    // struct itimerval: periodic, 1 ms.
    bytes((v) => {
      v.setBigInt64(8, 1000n, true);
      v.setBigInt64(24, 1000n, true);
    }, 32),
    // struct iovec[2] into the data segment.
    bytes((v) => {
      v.setBigUint64(0, u64(dataStart + 0x100000), true);
      v.setBigUint64(8, 64n, true);
      v.setBigUint64(16, u64(dataStart + 0x101000), true);
      v.setBigUint64(24, 4096n, true);
    }, 32),
    // A full signal set.
    new Uint8Array(8).fill(0xff),
    // int fds[2] = { 0, 1 }.
    bytes((v) => v.setInt32(4, 1, true), 8),
    // A page of ones.
    new Uint8Array(4096).fill(0xff),
  ];
}

/** Writes the structures and returns their addresses (first page at dataStart + 64 KiB). */
export function writeScratch(mm: MmStruct, dataStart: number): number[] {
  const base = dataStart + 0x10000;
  return structures(dataStart).map((s, i) => {
    const addr = base + i * 4096;
    if (!mm.write(addr, s)) throw new Error(`fuzz scratch: cannot write at 0x${addr.toString(16)}`);
    return addr;
  });
}
