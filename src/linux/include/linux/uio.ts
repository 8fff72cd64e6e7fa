/**
 * struct iov_iter over user memory (lib/iov_iter.ts): the segments of a read or write,
 * already checked by access_ok(), consumed front to back. A copy stops at the first byte
 * that faults, as copy_to_iter() and copy_from_iter() do, and the iterator advances by what
 * was copied.
 */
export interface IovIter {
  /** Bytes left to transfer (iov_iter_count()). */
  readonly count: number;
  /** copy_to_iter(): stores as much of `src` as the segments take; returns the bytes copied. */
  copyTo(src: Uint8Array): number;
  /** copy_from_iter(): up to `max` bytes from the segments, fewer where one faults. */
  copyFrom(max: number): Uint8Array;
}
