/**
 * struct task_struct, declared incomplete: what the headers include/linux/sched.ts itself
 * includes use to name the task (a file operation's caller, a thread group's threads, the
 * arch hooks). TypeScript has no incomplete types; C's `struct task_struct;` is this empty
 * interface, which sched.ts completes by declaring it to be its Task (interface merging), so
 * these headers need not import the header that imports them. Everywhere else, use Task.
 */
export interface TaskStruct {}
