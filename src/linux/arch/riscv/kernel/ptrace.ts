/**
 * arch/riscv/kernel/ptrace.c: riscv's arch_ptrace() adds nothing to ptrace_request() (its
 * registers go through PTRACE_GETREGSET), and the arch has neither single-step nor block-step:
 * arch_has_single_step() is false, so PTRACE_SINGLESTEP and PTRACE_SINGLEBLOCK are EIO.
 */
import { RISCV_NO_SINGLE_STEP } from "../../arch.js";
import type { ArchPtrace } from "../../../include/linux/ptrace.js";

const unsupported = (): void => {
  throw new Error("riscv has no single-step: ptrace_resume() refuses it first");
};

export const RISCV_PTRACE: ArchPtrace = {
  request: () => null,
  hasSingleStep: false,
  hasBlockStep: false,
  noSingleStepReason: RISCV_NO_SINGLE_STEP,
  userEnableSingleStep: unsupported,
  userEnableBlockStep: unsupported,
  userDisableSingleStep: () => {},
};
