import type { MmStruct } from "../include/linux/mm_types.js";
import type * as uio from "../include/linux/uio.js";

/** struct iov_iter over user memory (include/linux/uio.ts), for the read and write paths. */
export class IovIter implements uio.IovIter {
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
