/**
 * The channel between the runner and an agent, as agent/protocol.h defines it: fixed-size
 * messages of MSG_WORDS little-endian 64-bit words on a stream socket per task.
 */
import { wordBits, wordOfBits, type Word } from "../../linux/include/uapi/word.js";

export const PROTOCOL_VERSION = 1;
/** The runner's socket, in the job's runtime directory. */
export const CHANNEL_SOCKET = "ctl.sock";
export const MSG_WORDS = 12;
export const MSG_BYTES = MSG_WORDS * 8;

/** Requests: word 0 the op, 1 a sequence number, 2 the handler depth, 3 a child token, 4.. the op's words. */
export const enum Op {
  Syscall = 1,
  Return = 2,
  RunCode = 3,
  Fault = 4,
  Kill = 5,
}

export const enum FaultAccess {
  Read = 0,
  Write = 1,
  Exec = 2,
}

/** Events: word 0 the kind. */
export const enum Event {
  Reply = 1,
  Hello = 2,
  Call = 3,
}

/**
 * A request: op, seq, depth, token, then the op's words (at most MSG_WORDS - 4), each as its
 * 64 bits. A system call's words come checked and exact (HostProcess.syscall()); the others
 * are addresses and small numbers.
 */
export function request(op: Op, seq: number, depth: number, token: number, words: readonly Word[]): Buffer {
  const b = Buffer.alloc(MSG_BYTES);
  b.writeBigUInt64LE(BigInt(op), 0);
  b.writeBigUInt64LE(BigInt(seq), 8);
  b.writeBigUInt64LE(BigInt(depth), 16);
  b.writeBigUInt64LE(BigInt(token), 24);
  words.forEach((w, i) => b.writeBigUInt64LE(wordBits(w), 32 + i * 8));
  return b;
}

/** Word i of an event, unsigned. */
export function word(msg: Buffer, i: number): bigint {
  return msg.readBigUInt64LE(i * 8);
}

/** Word i as a number: small counts, ids and addresses below 2^53. */
export function wordNumber(msg: Buffer, i: number): number {
  return Number(msg.readBigUInt64LE(i * 8));
}

/** Word i as the signed long a system call returns (value or -errno), a canonical word. */
export function wordSigned(msg: Buffer, i: number): Word {
  return wordOfBits(msg.readBigInt64LE(i * 8));
}

/** What a task says first: who it is, and the layout its agent was built with. */
export interface Hello {
  readonly token: number;
  readonly tid: number;
  readonly pid: number;
  /** Its tid in the runner's /proc (where its memory is). */
  readonly outerTid: number;
  readonly startStack: number;
  readonly dataBase: number;
  readonly dataSize: number;
  readonly functionBase: number;
  readonly functionCount: number;
  readonly version: number;
}

export function parseHello(msg: Buffer): Hello {
  const n = (i: number) => wordNumber(msg, i);
  return {
    token: n(1), tid: n(2), pid: n(3), outerTid: n(4), startStack: n(5),
    dataBase: n(6), dataSize: n(7), functionBase: n(8), functionCount: n(9), version: n(10),
  };
}

/**
 * Splits a byte stream into messages: a stream socket may deliver a message in pieces or
 * several at once.
 */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onMessage: (msg: Buffer) => void) {}

  push(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (data.length >= MSG_BYTES) {
      this.onMessage(data.subarray(0, MSG_BYTES));
      data = data.subarray(MSG_BYTES);
    }
    this.pending = Buffer.from(data);
  }
}
