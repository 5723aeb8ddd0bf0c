/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Maps, knobs and helpers shared by every bpfrec BPF program. The .bpf.c
 * files are linked into one object by `bpftool gen object`: maps are __weak
 * so each file may declare them, knobs are defined once in knobs.bpf.c.
 */
#ifndef BPFREC_COMMON_BPF_H
#define BPFREC_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bpfrec.h"

/* Knobs set by the recorder before load (rodata). */
extern const volatile __u32 self_tgid; /* the recorder never records itself */
extern const volatile __u32 groups; /* bit per enum ev_group */
extern const volatile bool filter_traced; /* only tgids in the traced map */
extern const volatile bool follow_children; /* add children of traced tgids */
extern const volatile bool filter_comm;
extern const volatile char comm_filter[BPFREC_COMM_LEN];
extern const volatile __u64 wakeup_bytes; /* batch size that wakes user space */
extern const volatile __u32 launch_tgid; /* traced from its exec on (-- COMMAND) */
extern const volatile bool no_args; /* --no-args: argv never leaves the kernel */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* resized by the recorder */
} events SEC(".maps") __weak;

/* Records that could not be reserved, per CPU and group. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GRP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps") __weak;

/* Processes (tgid) being recorded when filter_traced is set. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} traced SEC(".maps") __weak;

static __always_inline bool group_on(int g)
{
	return groups & (1u << g);
}

static __always_inline void count_drop(__u32 group)
{
	__u64 *n = bpf_map_lookup_elem(&drops, &group);

	if (n)
		(*n)++;
}

static __always_inline bool comm_matches(const char *comm)
{
	for (int i = 0; i < BPFREC_COMM_LEN; i++) {
		if (comm[i] != comm_filter[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* Filters, applied in the kernel so unwanted events cost no buffer space. */
static __always_inline bool want_tgid(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if (filter_traced && !bpf_map_lookup_elem(&traced, &tgid))
		return false;
	return true;
}

static __always_inline bool current_comm_wanted(void)
{
	char comm[BPFREC_COMM_LEN];

	if (!filter_comm)
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	return comm_matches(comm);
}

static __always_inline bool want_current(__u64 pid_tgid)
{
	return want_tgid(pid_tgid >> 32) && current_comm_wanted();
}

static __always_inline void fill_hdr(struct ev_hdr *h, __u16 type, __u16 size,
				     __u64 pid_tgid, __u64 ts)
{
	h->type = type;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
	h->flags = 0;
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ts = ts;
}

/*
 * Wake user space once per batch, not per record: wakeups (an IPI each)
 * are expensive. Only the record that makes the pending data cross the
 * threshold wakes; user space drains everything once awake, and polls on a
 * timer for batches that never fill.
 */
static __always_inline __u64 wakeup_flag_for(__u64 size)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	return avail < wakeup_bytes && avail + size >= wakeup_bytes ?
		       BPF_RB_FORCE_WAKEUP :
		       BPF_RB_NO_WAKEUP;
}

static __always_inline void *reserve(__u32 size, __u32 group)
{
	void *e = bpf_ringbuf_reserve(&events, size, 0);

	if (!e)
		count_drop(group);
	return e;
}

/* Submit a reserved record (its h.size is what counts toward a batch). */
static __always_inline void submit(void *e)
{
	bpf_ringbuf_submit(e, wakeup_flag_for(((struct ev_hdr *)e)->size));
}

#endif /* BPFREC_COMMON_BPF_H */
