/*
 * One binary, two roles: the launcher the runner spawns (argv: launch ...), and the agent it
 * execs as the job's first process, which knows itself by the descriptors the launcher
 * leaves it (its argv and envp are the program's).
 */
#include "agent.h"

void agent_main(u64 *sp) {
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  struct rlimit64 nofile = { 0, 0 };
  sys4(NR_prlimit64, 0, RLIMIT_NOFILE, 0, &nofile);
  agent_fds_from_limit(nofile.max);
  if (sys2(NR_fcntl, agent_fds.rundir, F_GETFD) >= 0 && sys2(NR_fcntl, agent_fds.outer_proc, F_GETFD) >= 0) {
    agent_serve_init((u64)sp);
  }
  if (argc >= 2 && streq(argv[1], "launch")) launcher_main(argc, argv);
  static const char usage[] = "ltp-host-agent: the host target's agent; the runner starts it (argv: launch ...)\n";
  write_all(2, usage, sizeof usage - 1);
  sys1(NR_exit_group, 2);
  for (;;) {}
}
