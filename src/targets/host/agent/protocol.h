/*
 * The channel between an agent and the runner (src/targets/host/protocol.ts mirrors it): a
 * stream socket per task, carrying fixed-size messages of MSG_WORDS little-endian 64-bit
 * words, each sent with one write(). Memory is not on it: the runner reads and writes a
 * process's memory itself through /proc/<tid>/mem.
 *
 * Requests (runner -> agent): word 0 the op, 1 a sequence number echoed by the reply, 2 the
 * handler depth of the code that makes it (0 for a process's main code, n inside n nested
 * program functions), 3 the child token for calls that create a task, 4.. the op's words.
 *
 * Events (agent -> runner): word 0 the kind, the rest per kind.
 */
#ifndef AGENT_PROTOCOL_H
#define AGENT_PROTOCOL_H

#define PROTOCOL_VERSION 1
/* The runner's socket, in the job's runtime directory. */
#define CHANNEL_SOCKET "ctl.sock"
#define MSG_WORDS 12

enum request_op {
  /* words 4..10: the number and the six argument words, passed exactly; REPLY with the raw result */
  OP_SYSCALL = 1,
  /* the program function at this depth returned: its ret is made */
  OP_RETURN = 2,
  /* words 4, 5: ip and sp; machine code runs there, with every other register 0; no reply */
  OP_RUN_CODE = 3,
  /* words 4, 5: address and access (FAULT_READ, FAULT_WRITE): the access is made for real */
  OP_FAULT = 4,
  /* the task's code failed in the runner: it is killed (SIGKILL) */
  OP_KILL = 5,
};

enum fault_access { FAULT_READ = 0, FAULT_WRITE = 1, FAULT_EXEC = 2 };

enum event_kind {
  /* word 1: the request's sequence number, word 2: the raw result (value or -errno) */
  EV_REPLY = 1,
  /*
   * The first message of each task: 1 the child token (0 for the first process), 2 tid and
   * 3 pid as the task sees them, 4 its tid in the runner's /proc, 5 the initial stack
   * pointer, 6..9 USER_DATA_BASE, USER_DATA_SIZE, USER_FN_BASE, USER_FN_COUNT, 10 the
   * protocol version.
   */
  EV_HELLO = 2,
  /* A program function was entered (a signal handler): 1 depth, 2 its address, 3..5 its arguments, 6 sp */
  EV_CALL = 3,
};

struct message {
  u64 w[MSG_WORDS];
};

#endif
