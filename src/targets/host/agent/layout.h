/*
 * Where things are in the agent's address space, shared by the C code, the assembler and
 * the linker script: the same user addresses the emulated target gives a process, so
 * pointers, buffers and EFAULT cases mean the same on both targets.
 *
 * USER_DATA_BASE/SIZE: the program's data segment (src/linux/init/main.ts), the last
 * segment of the executable so the heap's break starts right after it, as in the emulated
 * kernel. USER_FN_BASE/STRIDE: the addresses the test API gives the program's functions
 * (TEXT_BASE and FUNCTION_ALIGN of src/targets/emulated.ts). The agent's own code and data
 * live at AGENT_BASE, between the two and away from both.
 */
#ifndef AGENT_LAYOUT_H
#define AGENT_LAYOUT_H

#define USER_DATA_BASE 0x10000000
#define USER_DATA_SIZE 0x1000000
#define USER_FN_BASE 0x401000
#define USER_FN_STRIDE 16
#define USER_FN_COUNT 4096
#define AGENT_BASE 0x0c000000

#endif
