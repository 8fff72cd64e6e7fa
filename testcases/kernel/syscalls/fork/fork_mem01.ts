/*
 * fork() gives the child a copy of the address space; CLONE_VM shares it; a MAP_SHARED
 * mapping stays shared across fork:
 * 1) the child sees what the parent wrote to a private page before the fork;
 * 2) what the child writes there, the parent does not see (nor on the heap);
 * 3) what a CLONE_VM child writes, the parent sees;
 * 4) what a fork child writes to a MAP_SHARED page, the parent sees.
 * (Not in LTP: its fork tests assume these.)
 */
import {
  CLONE_VM, defineTest, ltp_clone, MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, peekBytes, pokeBytes, PROT_READ, PROT_WRITE,
  SAFE_FORK, SAFE_MALLOC, SAFE_MMAP, SAFE_MUNMAP, SAFE_WAITPID, SIGCHLD, TBROK, TERRNO, TST_EXP_EXPR, tst_brk,
} from "../../../../src/ltp/index.js";

const PAGE = 4096;
let priv = 0, shared = 0, heap = 0;

const fill = (addr: number, c: string) => pokeBytes(addr, new Uint8Array(PAGE).fill(c.charCodeAt(0)));
const holds = (addr: number, c: string) => peekBytes(addr, PAGE).every((b) => b === c.charCodeAt(0));

export default defineTest({
  forks_child: true,
  async setup() {
    priv = await SAFE_MMAP(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    shared = await SAFE_MMAP(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    heap = SAFE_MALLOC(PAGE);
  },
  async cleanup() {
    if (priv) await SAFE_MUNMAP(priv, PAGE);
    if (shared) await SAFE_MUNMAP(shared, PAGE);
    priv = shared = 0;
  },
  async test_all() {
    fill(priv, "P");
    fill(heap, "P");
    fill(shared, "P");
    await SAFE_WAITPID(await SAFE_FORK(() => {
      TST_EXP_EXPR(holds(priv, "P") && holds(heap, "P"), "the child sees the parent's data from before fork()");
      fill(priv, "C");
      fill(heap, "C");
      fill(shared, "C");
    }));
    TST_EXP_EXPR(holds(priv, "P"), "the child's write to a private page is not seen by the parent");
    TST_EXP_EXPR(holds(heap, "P"), "the child's write to the heap is not seen by the parent");
    TST_EXP_EXPR(holds(shared, "C"), "the child's write to a MAP_SHARED page is seen by the parent");

    const pid = await ltp_clone(CLONE_VM | SIGCHLD, () => {
      fill(priv, "V");
      fill(heap, "V");
    });
    if (pid === -1) tst_brk(TBROK | TERRNO, "clone(CLONE_VM) failed");
    await SAFE_WAITPID(pid);
    TST_EXP_EXPR(holds(priv, "V"), "a CLONE_VM child's write to a private page is seen by the parent");
    TST_EXP_EXPR(holds(heap, "V"), "a CLONE_VM child's write to the heap is seen by the parent");
  },
});
