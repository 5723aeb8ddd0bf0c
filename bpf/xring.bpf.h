/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The syscall programs' own per-CPU rings (struct xring_hdr in bpfrec.h):
 * a ring buffer output costs a helper call and a lock per record, the
 * largest cost per call after the probes themselves. Writers: the syscall
 * programs only (sys_enter_*, sys_exit_*), which never nest on a CPU;
 * anything else goes through rec_output().
 */
#ifndef BPFREC_XRING_BPF_H
#define BPFREC_XRING_BPF_H

#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* set to the number of possible CPUs */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 8192); /* set by the recorder: header, ring, slack */
} xrings SEC(".maps");

_Static_assert(sizeof(struct ev_syscall) <= XRING_SLACK, "a record must fit the slack");

/* Wake the recorder through this CPU's ring buffer, with a record it skips. */
static __always_inline void xring_wake(void)
{
	void *ring = cpu_ring();
	void *e = ring ? bpf_ringbuf_reserve(ring, 8, 0) : NULL;

	if (e)
		bpf_ringbuf_discard(e, BPF_RB_FORCE_WAKEUP);
}

/* Write E (its first SIZE bytes: h.size) to this CPU's xring, or count it lost. */
static __always_inline void xring_output(const struct ev_syscall *e, __u32 size, __u32 group)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct xring_hdr *x = bpf_map_lookup_elem(&xrings, &cpu);
	struct drop_stat *d = bpf_map_lookup_elem(&drops, &group);
	__u64 prod;

	if (!x)
		return;
	prod = x->prod;
	/* room for the whole copy: past SIZE it may still be unread records */
	if (prod + sizeof(*e) - *(volatile __u64 *)&x->cons > xring_mask + 1) {
		count_drop(group);
		return;
	}
	/* room again: the losses before this record, as one window */
	if (d && d->count != d->reported) {
		void *ring = cpu_ring();

		if (ring)
			report_drops(ring, group);
	}
	/* the whole struct: a constant size (8-byte moves), the rest overwritten later */
	*(struct ev_syscall *)((char *)(x + 1) + (prod & xring_mask)) = *e;
#if defined(__TARGET_ARCH_x86)
	/* stores are not reordered with stores on x86: the record is out before prod */
	asm volatile("" ::: "memory");
	*(volatile __u64 *)&x->prod = prod + size;
#else
	__sync_fetch_and_add(&x->prod, size); /* a full barrier */
#endif
	if (wakeup_flag_for(size) == BPF_RB_FORCE_WAKEUP)
		xring_wake();
}

#endif /* BPFREC_XRING_BPF_H */
