/*
 * The launcher: what the runner spawns for a job. It sets up the machine the job's processes
 * live in and becomes the parent of its first process (the init):
 * - a PID namespace, so the init is pid 1, orphans reparent to it, and its end kills every
 *   process left (and kill(-1) inside reaches nothing outside), and a mount namespace with a
 *   fresh /tmp and /proc; where the kernel refuses (not root, no user namespaces) the job runs
 *   without, and the runner is told why;
 * - the resource limits Linux gives its init (include/asm-generic/resource.h), no address
 *   space randomization (the layout is the emulated kernel's), its own session;
 * - the agent's inherited descriptors, and the program's argv and envp.
 * It reports on stdout, one line each: "isolated <how>" or "unisolated <why>", "init <pid>",
 * and "exit <wait status>" when the init is gone. SIGTERM, SIGINT, SIGHUP or its parent's
 * death (PR_SET_PDEATHSIG) make it kill the job, as a whole, first.
 *
 * argv: launch <rundir> <isolate 0|1> <runner pid> <n> wrapper... <n> argv... <n> envp...
 */
#include "agent.h"
#include "protocol.h"

#define ERROR_LINE_MAX 200

static volatile int terminate_requested;
static volatile long init_pid;

/* Killing the init kills the job (its PID namespace), or lets kill_leftovers() finish it. */
static void on_terminate(int sig) {
  (void)sig;
  terminate_requested = 1;
  if (init_pid > 0) sys2(NR_kill, init_pid, SIGKILL);
}

struct kernel_sigaction {
  void (*handler)(int);
  u64 flags;
  void (*restorer)(void);
  u64 mask;
};

static void catch_termination(void) {
  struct kernel_sigaction act = { on_terminate, SA_RESTORER, agent_restorer, 0 };
  int sigs[] = { SIGTERM, SIGINT, SIGHUP };
  for (int i = 0; i < 3; i++) sys4(NR_rt_sigaction, sigs[i], &act, 0, 8);
}

static void report(const char *a, const char *b, s64 n, int with_n) {
  char line[ERROR_LINE_MAX + 64], *p = line;
  p = put_str(p, a);
  if (b) {
    size_t len = strlen(b);
    if (len > ERROR_LINE_MAX) len = ERROR_LINE_MAX;
    memcpy(p, b, len);
    p += len;
  }
  if (with_n) p = put_dec(p, n);
  *p++ = '\n';
  write_all(1, line, (size_t)(p - line));
}

#define RLIM_INFINITY (~0UL)

/*
 * INIT_RLIMITS of include/asm-generic/resource.h, the limits every process inherits from
 * the kernel's init, as the emulated kernel's init has them. RLIMIT_NPROC and SIGPENDING are
 * max_threads/2 (fork_init()), read from kernel.threads-max. A limit the launcher may not
 * raise stays as inherited.
 */
static void init_rlimits(void) {
  char buf[32];
  u64 half = 0;
  long fd = sys4(NR_openat, AT_FDCWD, "/proc/sys/kernel/threads-max", O_RDONLY | O_CLOEXEC, 0);
  if (fd >= 0) {
    long n = sys3(NR_read, fd, buf, sizeof buf - 1);
    if (n > 0) buf[n] = 0, half = (u64)parse_long(buf) / 2;
    sys1(NR_close, fd);
  }
  struct { int res; struct rlimit64 lim; } limits[] = {
    { 3, { 8UL << 20, RLIM_INFINITY } },      /* RLIMIT_STACK */
    { 4, { 0, RLIM_INFINITY } },              /* RLIMIT_CORE */
    { RLIMIT_NOFILE, { 1024, 4096 } },        /* INR_OPEN_CUR, INR_OPEN_MAX */
    { 8, { 8UL << 20, 8UL << 20 } },          /* RLIMIT_MEMLOCK */
    { 12, { 819200, 819200 } },               /* RLIMIT_MSGQUEUE */
    { 13, { 0, 0 } },                         /* RLIMIT_NICE */
    { 14, { 0, 0 } },                         /* RLIMIT_RTPRIO */
    { 6, { half, half } },                    /* RLIMIT_NPROC */
    { 11, { half, half } },                   /* RLIMIT_SIGPENDING */
  };
  for (unsigned i = 0; i < sizeof limits / sizeof limits[0]; i++) {
    if ((limits[i].res == 6 || limits[i].res == 11) && !half) continue;
    sys4(NR_prlimit64, 0, limits[i].res, &limits[i].lim, 0);
  }
}

static long write_file(const char *path, const char *text) {
  long fd = sys4(NR_openat, AT_FDCWD, path, O_WRONLY | O_CLOEXEC, 0);
  if (fd < 0) return fd;
  long r = sys3(NR_write, fd, text, strlen(text));
  sys1(NR_close, fd);
  return r < 0 ? r : 0;
}

/* "0 <id> 1": the one id of the runner's user becomes root inside. */
static long map_id(const char *path, long id) {
  char text[32], *p = text;
  p = put_str(p, "0 ");
  p = put_dec(p, id);
  p = put_str(p, " 1\n");
  *p = 0;
  return write_file(path, text);
}

enum isolation { UNISOLATED, ISOLATED };

/*
 * A new PID namespace for the children, as root; otherwise inside a new user namespace where
 * the runner's uid and gid are root. The init makes its mount namespace itself, so the
 * launcher keeps the machine's view of the files (the runtime directory, to remove it).
 * Reports which, or why none.
 */
static enum isolation isolate(void) {
  long uid = sys0(NR_getuid), gid = sys0(NR_getgid);
  long r = sys1(NR_unshare, CLONE_NEWPID);
  if (r == 0) {
    report("isolated pid and mount namespaces", 0, 0, 0);
    return ISOLATED;
  }
  long ru = sys1(NR_unshare, CLONE_NEWUSER | CLONE_NEWPID);
  if (ru == 0) {
    long m = write_file("/proc/self/setgroups", "deny");
    if (m == 0 || m == -ENOENT /* before 3.19 */) m = map_id("/proc/self/uid_map", uid);
    if (m == 0) m = map_id("/proc/self/gid_map", gid);
    if (m == 0) {
      report("isolated user, pid and mount namespaces", 0, 0, 0);
      return ISOLATED;
    }
    report("unisolated: the user namespace's id maps could not be written, errno ", 0, -m, 1);
    return UNISOLATED;
  }
  char why[160], *p = why;
  p = put_str(p, "unisolated: unshare(CLONE_NEWPID) failed with errno ");
  p = put_dec(p, -r);
  p = put_str(p, ", with CLONE_NEWUSER too with errno ");
  p = put_dec(p, -ru);
  *p = 0;
  report(why, 0, 0, 0);
  return UNISOLATED;
}

struct program {
  char **wrapper; /* NULL-terminated, or NULL: the agent itself */
  char *agent;
  char **argv, **envp;
};

/* A NULL-terminated vector of the n words at argv[*i], in place (argv has room: the count moves down). */
static char **take_vector(char **argv, int argc, int *i) {
  if (*i >= argc) die("launcher: missing vector", 0);
  long n = parse_long(argv[*i]);
  if (n < 0 || *i + 1 + n > argc) die("launcher: bad vector length", 0);
  char **v = &argv[*i];
  for (long k = 0; k < n; k++) v[k] = argv[*i + 1 + k];
  v[n] = 0;
  *i += 1 + (int)n;
  return v;
}

/*
 * The programs the init execs, opened before the fresh /tmp hides them (the package, and so the
 * agent, may well live under /tmp). The agent's descriptor stays open across a wrapper's exec,
 * which opens it again as /proc/self/fd/N; the wrapper's own is closed by the exec.
 */
struct program_fds {
  long agent, wrapper;
};

static struct program_fds open_program(const struct program *prog) {
  int wrapped = prog->wrapper && prog->wrapper[0];
  struct program_fds fds = { sys4(NR_openat, AT_FDCWD, prog->agent, O_PATH | (wrapped ? 0 : O_CLOEXEC), 0), -1 };
  if (fds.agent < 0) die("init: cannot open the agent", fds.agent);
  if (wrapped) {
    fds.wrapper = sys4(NR_openat, AT_FDCWD, prog->wrapper[0], O_PATH | O_CLOEXEC, 0);
    if (fds.wrapper < 0) die("init: cannot open the wrapper", fds.wrapper);
  }
  return fds;
}

/* The wrapper's words with "{agent}" replaced by the agent's path, then the program's argv after argv[0]. */
static void exec_program(const struct program *prog, struct program_fds fds) {
  if (fds.wrapper < 0) {
    sys5(NR_execveat, fds.agent, "", prog->argv, prog->envp, AT_EMPTY_PATH);
    return;
  }
  char agent[32] = "/proc/self/fd/";
  put_dec(agent + 14, fds.agent);
  char *words[256];
  int n = 0;
  for (char **w = prog->wrapper; *w && n < 200; w++) words[n++] = streq(*w, "{agent}") ? agent : *w;
  for (char **a = prog->argv + (prog->argv[0] ? 1 : 0); *a && n < 254; a++) words[n++] = *a;
  words[n] = 0;
  sys5(NR_execveat, fds.wrapper, "", words, prog->envp, AT_EMPTY_PATH);
}

/* The init before it becomes the agent: pid 1 of the namespaces when isolated. */
static void become_init(const struct program *prog, enum isolation iso, int launcher_alive) {
  sys2(NR_prctl, PR_SET_PDEATHSIG, SIGKILL);
  char b;
  /* The launcher holds the pipe's other end: end of file means it died before the line above. */
  if (sys3(NR_read, launcher_alive, &b, 1) == 0) sys1(NR_exit_group, 1);
  sys1(NR_close, launcher_alive);
  sys0(NR_setsid);
  /* Only the agent's descriptors go on; stderr stays the launcher's for a wrapper's messages. */
  sys2(NR_dup2, agent_fds.diag, 2);
  sys3(NR_close_range, 0, 1, 0);
  sys3(NR_close_range, 3, agent_fds.chan_min - 1, 0);
  sys3(NR_close_range, agent_fds.rundir + 1, ~0U, 0);
  struct program_fds fds = open_program(prog);
  if (iso == ISOLATED) {
    long r = sys1(NR_unshare, CLONE_NEWNS);
    if (r == 0) r = sys5(NR_mount, 0, "/", 0, MS_REC | MS_PRIVATE, 0);
    if (r == 0) r = sys5(NR_mount, "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    if (r == 0) r = sys5(NR_mount, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0);
    if (r) die("init: a mount namespace with a private /tmp and /proc failed", r);
  } else {
    /* Without a PID namespace, orphans still come to the init, as to pid 1. */
    sys2(NR_prctl, PR_SET_CHILD_SUBREAPER, 1);
  }
  exec_program(prog, fds);
  die("init: exec of the agent failed", -2);
}

/* The launcher's children, as /proc lists them (CONFIG_PROC_CHILDREN): their pids, at most max. */
static int children(long *pids, int max) {
  char buf[4096];
  long fd = sys4(NR_openat, AT_FDCWD, "/proc/thread-self/children", O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) return 0;
  long n = sys3(NR_read, fd, buf, sizeof buf - 1);
  sys1(NR_close, fd);
  int count = 0;
  if (n <= 0) return 0;
  buf[n] = 0;
  for (char *p = buf; *p && count < max;) {
    while (*p == ' ') p++;
    if (*p < '0' || *p > '9') break;
    pids[count++] = parse_long(p);
    while (*p >= '0' && *p <= '9') p++;
  }
  return count;
}

/*
 * Without a PID namespace, what the init leaves behind comes to the launcher (a subreaper):
 * kill it, round after round as grandchildren are reparented, and reap it.
 */
static void kill_leftovers(void) {
  long pids[512];
  int status;
  for (int round = 0; round < 1000; round++) {
    int n = children(pids, 512);
    if (n == 0) break;
    for (int i = 0; i < n; i++) sys2(NR_kill, pids[i], SIGKILL);
    for (int i = 0; i < n; i++) {
      while (sys4(NR_wait4, pids[i], &status, __WALL, 0) == -EINTR) {}
    }
  }
  while (sys4(NR_wait4, -1, &status, __WALL | WNOHANG, 0) > 0) {}
}

/* The job's runtime directory goes with it, even when the runner died without removing it. */
static void remove_runtime_dir(const char *rundir) {
  char path[4096], *p = path;
  if (strlen(rundir) + sizeof CHANNEL_SOCKET + 1 > sizeof path) return;
  p = put_str(p, rundir);
  p = put_str(p, "/" CHANNEL_SOCKET);
  *p = 0;
  sys3(NR_unlinkat, AT_FDCWD, path, 0);
  sys3(NR_unlinkat, AT_FDCWD, rundir, AT_REMOVEDIR);
}

/*
 * The runtime directory, the runner's /proc and the launcher's stderr where every agent finds
 * them (agent_fds), just below RLIMIT_NOFILE's hard limit; dup2 clears close-on-exec, so
 * they go on to the agent.
 */
static void place_agent_fds(const char *rundir) {
  struct rlimit64 nofile, saved;
  sys4(NR_prlimit64, 0, RLIMIT_NOFILE, 0, &nofile);
  agent_fds_from_limit(nofile.max);
  long dir = sys4(NR_openat, AT_FDCWD, rundir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
  long proc = sys4(NR_openat, AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir < 0 || proc < 0) die("launcher: cannot open the runtime directory or /proc", dir < 0 ? dir : proc);
  int raised = nofile_raise(&saved);
  if (sys2(NR_dup2, dir, agent_fds.rundir) < 0 || sys2(NR_dup2, proc, agent_fds.outer_proc) < 0 ||
      sys2(NR_dup2, 2, agent_fds.diag) < 0) {
    die("launcher: cannot place the agent's descriptors below RLIMIT_NOFILE's hard limit", 0);
  }
  if (raised) nofile_restore(&saved);
  sys1(NR_close, dir);
  sys1(NR_close, proc);
}

void launcher_main(int argc, char **argv) {
  if (argc < 8) die("launcher: usage: launch <rundir> <isolate> <runner pid> <n> wrapper... <n> argv... <n> envp...", 0);
  char *rundir = argv[2];
  int want_isolation = argv[3][0] == '1';
  long runner = parse_long(argv[4]);
  struct program prog = { 0, argv[0], 0, 0 };
  int i = 5;
  prog.wrapper = take_vector(argv, argc, &i);
  prog.argv = take_vector(argv, argc, &i);
  prog.envp = take_vector(argv, argc, &i);

  sys2(NR_prctl, PR_SET_PDEATHSIG, SIGTERM);
  if (sys0(NR_getppid) != runner) sys1(NR_exit_group, 1);
  catch_termination();
  init_rlimits();
  place_agent_fds(rundir);

  enum isolation iso = want_isolation ? isolate() : UNISOLATED;
  if (!want_isolation) report("unisolated: isolation was not asked for", 0, 0, 0);
  sys2(NR_prctl, PR_SET_CHILD_SUBREAPER, 1);
  sys1(NR_personality, ADDR_NO_RANDOMIZE);
  int alive[2];
  if (sys2(NR_pipe2, alive, O_NONBLOCK) < 0) die("launcher: pipe2", 0);
  long pid = sys2(NR_clone, SIGCHLD, 0);
  if (pid == 0) {
    sys1(NR_close, alive[1]);
    become_init(&prog, iso, alive[0]);
  }
  sys1(NR_close, alive[0]);
  if (pid < 0) die("launcher: fork of the init failed", pid);
  init_pid = pid;
  if (terminate_requested) sys2(NR_kill, pid, SIGKILL);
  report("init ", 0, pid, 1);
  int status = 0;
  long r;
  while ((r = sys4(NR_wait4, pid, &status, __WALL, 0)) != pid) {
    if (r != -EINTR) die("launcher: wait4 for the init failed", r);
  }
  if (iso == UNISOLATED) kill_leftovers();
  remove_runtime_dir(rundir);
  report("exit ", 0, status, 1);
  sys1(NR_exit_group, 0);
  for (;;) {}
}
