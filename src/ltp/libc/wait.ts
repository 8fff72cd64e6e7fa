/** The <sys/wait.h> macros over a wait status word. */
export const WIFEXITED = (s: number): boolean => (s & 0x7f) === 0;
export const WEXITSTATUS = (s: number): number => (s >> 8) & 0xff;
export const WIFSIGNALED = (s: number): boolean => ((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) !== 0x7f;
export const WTERMSIG = (s: number): number => s & 0x7f;
export const WCOREDUMP = (s: number): boolean => (s & 0x80) !== 0;
export const WIFSTOPPED = (s: number): boolean => (s & 0xff) === 0x7f;
export const WSTOPSIG = (s: number): number => (s >> 8) & 0xff;
/** __W_CONTINUED: the status waitpid(WCONTINUED) reports. */
export const WIFCONTINUED = (s: number): boolean => s === 0xffff;
/** W_EXITCODE(ret, sig) and W_STOPCODE(sig): the statuses of an exit and of a stop (glibc's <sys/wait.h>). */
export const W_EXITCODE = (ret: number, sig: number): number => (ret << 8) | sig;
export const W_STOPCODE = (sig: number): number => (sig << 8) | 0x7f;
