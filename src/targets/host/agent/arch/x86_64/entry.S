/*
 * x86-64 entry points of the agent: the process entry, the program's function addresses (one
 * stub per address the test API hands out), the clone that moves the child to a stack of its
 * own, and the ways out that never return (rt_sigreturn with a chosen stack pointer).
 */
#include "layout.h"

	.text
	.globl _start
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi			/* where argc sits: mm->start_stack */
	and $-16, %rsp
	call agent_main
	ud2

/*
 * The program's functions: the test API gives the testcase's functions the addresses
 * USER_FN_BASE + USER_FN_STRIDE * i (a non-PIE executable's text). The kernel enters one as
 * a signal handler (or returns into one, the restorer) like any C function; the stub hands
 * its own address to user_entry, which asks the runner to run the function.
 */
	.section .userfn, "ax"
	.globl user_functions
user_functions:
	.rept USER_FN_COUNT
	lea -7(%rip), %r11		/* r11 = this stub's address */
	jmp user_entry
	.balign USER_FN_STRIDE, 0xcc
	.endr

	.text
/*
 * A call of a program function: a C function call as the ABI has it (arguments in rdi, rsi,
 * rdx; rsp at the return address), so it returns with ret and keeps the callee-saved
 * registers. user_call(addr, a0, a1, a2, sp) serves the runner until the function returns;
 * sp, where the return address is, is the stack pointer the function's code runs at.
 */
	.globl user_entry
user_entry:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rbx
	lea 48(%rsp), %r8
	mov %rdx, %rcx
	mov %rsi, %rdx
	mov %rdi, %rsi
	mov %r11, %rdi
	and $-16, %rsp
	cld
	call user_call
	mov %rbx, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

/*
 * long agent_clone(const u64 words[7], u64 child_sp, void (*child)(void *), void *arg):
 * the raw call words[0] with the six argument words exactly; in the child (0 returned), the
 * stack moves to child_sp (or stays on the child's copy of this one when 0) and child(arg)
 * runs there, never to return. The child must not touch the caller's stack: with CLONE_VM it
 * is the parent's own.
 */
	.globl agent_clone
agent_clone:
	push %rbx
	push %r12
	push %r13
	push %r14
	mov %rsi, %r12
	mov %rdx, %r13
	mov %rcx, %r14
	test %r12, %r12
	jnz 1f
	mov %rsp, %r12
1:	mov %rdi, %rbx
	mov 0(%rbx), %rax
	mov 8(%rbx), %rdi
	mov 16(%rbx), %rsi
	mov 24(%rbx), %rdx
	mov 32(%rbx), %r10
	mov 40(%rbx), %r8
	mov 48(%rbx), %r9
	syscall
	test %rax, %rax
	jz 2f
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	ret
2:	mov %r12, %rsp
	and $-16, %rsp
	xor %ebp, %ebp
	mov %r14, %rdi
	call *%r13
	ud2

/* rt_sigreturn with the stack pointer at sp (the kernel finds its frame just below). */
	.globl agent_sigreturn
agent_sigreturn:
	mov %rdi, %rsp
	mov $15, %eax
	syscall
	ud2

/* The restorer of the launcher's own handlers (x86-64 signal delivery needs SA_RESTORER). */
	.globl agent_restorer
agent_restorer:
	mov $15, %eax
	syscall
	ud2

/*
 * A load and a store a C program would make: the fault, if any, is the real one (SIGSEGV
 * with si_addr = addr). The store is a locked or of 0: it needs write access but never
 * changes the byte.
 */
	.globl probe_read
probe_read:
	movb (%rdi), %al
	ret

	.globl probe_write
probe_write:
	lock orb $0, (%rdi)
	ret

	.section .note.GNU-stack, "", @progbits
