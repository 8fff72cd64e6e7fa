/* The few library functions the agent needs, and the ones the compiler may emit calls to. */
#include "agent.h"

void *memset(void *s, int c, size_t n) {
  u8 *p = s;
  while (n--) *p++ = (u8)c;
  return s;
}

void *memcpy(void *d, const void *s, size_t n) {
  u8 *p = d;
  const u8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

int streq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

long parse_long(const char *s) {
  long v = 0, sign = 1;
  if (*s == '-') sign = -1, s++;
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  return v * sign;
}

char *put_str(char *p, const char *s) {
  while (*s) *p++ = *s++;
  return p;
}

char *put_dec(char *p, s64 v) {
  char tmp[24];
  int n = 0;
  u64 u = v < 0 ? -(u64)v : (u64)v;
  if (v < 0) *p++ = '-';
  do tmp[n++] = (char)('0' + u % 10); while ((u /= 10) != 0);
  while (n) *p++ = tmp[--n];
  return p;
}

/* Loops over short writes and EINTR: the agent's own signals are blocked, a handler's may not be. */
long write_all(int fd, const void *buf, size_t len) {
  const u8 *p = buf;
  while (len) {
    long r = sys3(NR_write, fd, p, len);
    if (r == -EINTR) continue;
    if (r <= 0) return r < 0 ? r : -EPIPE;
    p += r;
    len -= (size_t)r;
  }
  return 0;
}

/* 0 when all of it came, 1 at end of file before any byte, -errno otherwise. */
long read_all(int fd, void *buf, size_t len) {
  u8 *p = buf;
  size_t got = 0;
  while (got < len) {
    long r = sys3(NR_read, fd, p + got, len - got);
    if (r == -EINTR) continue;
    if (r < 0) return r;
    if (r == 0) return got ? -EPIPE : 1;
    got += (size_t)r;
  }
  return 0;
}

struct agent_fds agent_fds = { .rundir = -1, .outer_proc = -1, .diag = 2, .chan_min = 0 };

/*
 * The inherited descriptors sit just below the hard limit of RLIMIT_NOFILE and the channels
 * just below them: the launcher and every agent derive the same numbers from the limit.
 */
void agent_fds_from_limit(u64 hard) {
  /* The table grows to the highest descriptor: keep it at INR_OPEN_MAX's size at most. */
  if (hard > AGENT_FD_LIMIT) hard = AGENT_FD_LIMIT;
  agent_fds.rundir = (int)hard - 1;
  agent_fds.outer_proc = (int)hard - 2;
  agent_fds.diag = (int)hard - 3;
  agent_fds.chan_min = (int)hard - 64;
}

/*
 * Descriptors at or above the soft RLIMIT_NOFILE can be made only while it is raised (only
 * new descriptors are checked against it): to the hard limit, until nofile_restore(). 0 when
 * the limit could not be read or raised.
 */
int nofile_raise(struct rlimit64 *saved) {
  struct rlimit64 raised;
  if (sys4(NR_prlimit64, 0, RLIMIT_NOFILE, 0, saved) < 0) return 0;
  raised.cur = raised.max = saved->max;
  return sys4(NR_prlimit64, 0, RLIMIT_NOFILE, &raised, 0) == 0;
}

void nofile_restore(const struct rlimit64 *saved) {
  sys4(NR_prlimit64, 0, RLIMIT_NOFILE, saved, 0);
}

/* One line on the launcher's stderr, which the runner reports as a fault of the job. */
void diag(const char *what, long err) {
  char line[256], *p = line;
  p = put_str(p, "agent pid ");
  p = put_dec(p, sys0(NR_getpid));
  p = put_str(p, ": ");
  size_t n = strlen(what);
  if (n > 180) n = 180;
  memcpy(p, what, n);
  p += n;
  if (err) {
    p = put_str(p, " (errno ");
    p = put_dec(p, -err);
    p = put_str(p, ")");
  }
  *p++ = '\n';
  write_all(agent_fds.diag, line, (size_t)(p - line));
}

void kill_self(void) {
  sys2(NR_kill, sys0(NR_getpid), SIGKILL);
  for (;;) sys1(NR_exit_group, 127);
}

void die(const char *what, long err) {
  diag(what, err);
  kill_self();
}
