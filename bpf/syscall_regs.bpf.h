/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Syscall arguments from the struct pt_regs sys_enter gets: the one place
 * that names registers. libbpf 1.1's PT_REGS_PARMn_SYSCALL stop at five
 * and read arm64's through CO-RE; these are plain field loads, from the
 * tp_btf context's pointer or from the raw_tp variant's copy.
 */
#ifndef BPFREC_SYSCALL_REGS_BPF_H
#define BPFREC_SYSCALL_REGS_BPF_H

#if defined(__TARGET_ARCH_x86)
/* the syscall ABI: the fourth argument is in r10, not rcx */
#define SYS_ARG0(r) ((r)->di)
#define SYS_ARG1(r) ((r)->si)
#define SYS_ARG2(r) ((r)->dx)
#define SYS_ARG3(r) ((r)->r10)
#define SYS_ARG4(r) ((r)->r8)
#define SYS_ARG5(r) ((r)->r9)
#elif defined(__TARGET_ARCH_arm64)
/* x0 is also the return value: the entry code keeps the first argument in orig_x0 */
#define SYS_ARG0(r) ((r)->orig_x0)
#define SYS_ARG1(r) ((r)->regs[1])
#define SYS_ARG2(r) ((r)->regs[2])
#define SYS_ARG3(r) ((r)->regs[3])
#define SYS_ARG4(r) ((r)->regs[4])
#define SYS_ARG5(r) ((r)->regs[5])
#else
#error "bpfrec: the syscall argument registers of this architecture are not known"
#endif

/* Argument I (a constant, 0..5) of the syscall entering with REGS. */
#define sys_arg(regs, i) SYS_ARG##i(regs)

/* All six arguments, whether the call takes them or not. */
static __always_inline void sys_args(const struct pt_regs *regs, __u64 *args)
{
	args[0] = sys_arg(regs, 0);
	args[1] = sys_arg(regs, 1);
	args[2] = sys_arg(regs, 2);
	args[3] = sys_arg(regs, 3);
	args[4] = sys_arg(regs, 4);
	args[5] = sys_arg(regs, 5);
}

#endif /* BPFREC_SYSCALL_REGS_BPF_H */
