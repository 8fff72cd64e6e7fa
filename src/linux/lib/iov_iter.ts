import type { MmStruct } from "../mm/mm.js";

/**
 * struct iov_iter over user memory (lib/iov_iter.c): the segments of a read or write, already
 * checked by access_ok(), consumed front to back. A copy stops at the first byte that faults,
 * as copy_to_iter() and copy_from_iter() do, and the iterator advances by what was copied.
 */
export class IovIter {
  /** Bytes left to transfer (iov_iter_count()). */
  count: number;
  private seg = 0;
  private off = 0;

  /** `segs` holds base, len pairs: [base0, len0, base1, len1, ...]. */
  constructor(private readonly mm: MmStruct, private readonly segs: readonly number[], count: number) {
    this.count = count;
  }

  /** A single user buffer (import_ubuf()). */
  static ubuf(mm: MmStruct, buf: number, len: number): IovIter {
    return new IovIter(mm, [buf, len], len);
  }

  /** The next contiguous user range, or null when nothing is left. */
  private current(): [number, number] | null {
    while (this.seg < this.segs.length) {
      const len = this.segs[this.seg + 1]!;
      if (this.off < len) return [this.segs[this.seg]! + this.off, len - this.off];
      this.seg += 2;
      this.off = 0;
    }
    return null;
  }

  private advance(n: number): void {
    this.off += n;
    this.count -= n;
  }

  /** copy_to_iter(): stores as much of `src` as the segments take; returns the bytes copied. */
  copyTo(src: Uint8Array): number {
    let done = 0;
    while (done < src.length && this.count > 0) {
      const cur = this.current();
      if (!cur) break;
      const n = Math.min(cur[1], src.length - done);
      const chunk = done === 0 && n === src.length ? src : src.subarray(done, done + n);
      const copied = this.mm.writePartial(cur[0], chunk);
      this.advance(copied);
      done += copied;
      if (copied < n) break;
    }
    return done;
  }

  /** copy_from_iter(): up to `max` bytes from the segments, fewer where one faults. */
  copyFrom(max: number): Uint8Array {
    const want = Math.min(max, this.count);
    const first = this.current();
    // The common case, one buffer: no gathering.
    if (first && first[1] >= want) {
      const data = this.mm.readPartial(first[0], want);
      this.advance(data.length);
      return data;
    }
    const out = new Uint8Array(want);
    let done = 0;
    while (done < want) {
      const cur = this.current();
      if (!cur) break;
      const n = Math.min(cur[1], want - done);
      const data = this.mm.readPartial(cur[0], n);
      out.set(data, done);
      this.advance(data.length);
      done += data.length;
      if (data.length < n) break;
    }
    return done === want ? out : out.subarray(0, done);
  }
}
