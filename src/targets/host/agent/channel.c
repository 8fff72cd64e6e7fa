/* The task's channel to the runner: a stream socket in the job's runtime directory. */
#include "serve.h"

struct sockaddr_un {
  u16 family;
  char path[108];
};

/* Moves a descriptor up to the channels' range, out of the way of the program's own. */
static long move_up(long fd) {
  long high = sys3(NR_fcntl, fd, F_DUPFD_CLOEXEC, agent_fds.chan_min);
  if (high < 0) return fd;
  sys1(NR_close, fd);
  return high;
}

static long connect_to(const struct sockaddr_un *sa) {
  long s = sys3(NR_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return s;
  long r = sys3(NR_connect, s, sa, sizeof *sa);
  if (r < 0) {
    sys1(NR_close, s);
    return r;
  }
  return move_up(s);
}

/*
 * A new connection to the runner's socket, found through the runtime directory's descriptor
 * (the launcher opened it before /tmp was replaced), or -errno. It is made with the soft
 * RLIMIT_NOFILE raised: a program whose table is full still gets its children (fork09), and
 * the channel goes high. Where the hard limit is too low for that (the program lowered it),
 * it stays wherever socket() put it.
 */
long channel_connect(void) {
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof sa);
  sa.family = AF_UNIX;
  char *p = put_str(sa.path, "/proc/self/fd/");
  p = put_dec(p, agent_fds.rundir);
  put_str(put_str(p, "/"), CHANNEL_SOCKET);
  struct rlimit64 saved;
  int raised = nofile_raise(&saved);
  long fd = connect_to(&sa);
  if (raised) nofile_restore(&saved);
  return fd;
}

/* The runner is gone when its end closes: so is the task (nothing outlives the run). */
void channel_send(struct task *t, const struct message *m) {
  if (write_all(t->ctl, m, sizeof *m) < 0) kill_self();
}

void channel_receive(struct task *t, struct message *m) {
  if (read_all(t->ctl, m, sizeof *m) != 0) kill_self();
}

void channel_reply(struct task *t, u64 seq, s64 ret) {
  struct message m = { { EV_REPLY, seq, (u64)ret } };
  channel_send(t, &m);
}

/* The tid in the runner's /proc: "<pid>/task/<tid>" is what thread-self reads there. */
static u64 outer_tid(void) {
  char buf[64];
  long n = sys4(NR_readlinkat, agent_fds.outer_proc, "thread-self", buf, sizeof buf - 1);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *last = buf;
  for (char *p = buf; *p; p++) {
    if (*p == '/') last = p + 1;
  }
  return (u64)parse_long(last);
}

void channel_hello(struct task *t, u64 token, u64 start_stack) {
  struct message m = { {
    EV_HELLO, token, (u64)sys0(NR_gettid), (u64)sys0(NR_getpid), outer_tid(), start_stack,
    USER_DATA_BASE, USER_DATA_SIZE, USER_FN_BASE, USER_FN_COUNT, PROTOCOL_VERSION,
  } };
  channel_send(t, &m);
}
