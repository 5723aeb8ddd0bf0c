// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The benchmark's floor: what any BPF tracer pays before doing anything.
 * Two empty programs on the probes bpfrec's syscall group uses, and one
 * empty program of the type of bpfrec's generic tracepoint program, which
 * bench_floor attaches to each tracepoint it is given (as record attaches
 * tp_generic: one program, one link per tracepoint).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp_btf/sys_enter")
int floor_enter(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int floor_exit(void *ctx)
{
	return 0;
}

SEC("tracepoint")
int floor_tp(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
