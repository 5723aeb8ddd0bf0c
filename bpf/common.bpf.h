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
extern const volatile __u32 wakeup_shift; /* log2 of the batch size that wakes user space */
extern const volatile __u32 launch_tgid; /* traced from its exec on (-- COMMAND) */
extern const volatile bool no_args; /* --no-args: argv never leaves the kernel */
extern const volatile __u64 xring_mask; /* a CPU's xring size - 1 (xring.bpf.h) */
extern volatile bool capture_off; /* stopped: the links are still being closed */

/*
 * One ring buffer per CPU (the recorder sizes and fills this array): a
 * CPU's reserve and commit never touch another CPU's lock or cache lines.
 */
struct rec_ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16); /* a template: the recorder creates the rings */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1); /* set to the number of possible CPUs */
	__type(key, __u32);
	__array(values, struct rec_ring);
} events SEC(".maps") __weak;

/* Records that could not be reserved, per CPU and group, with their window. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GRP_MAX);
	__type(key, __u32);
	__type(value, struct drop_stat);
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

/* A lost record: counted, and the time window of the losses kept. */
static __always_inline void count_drop(__u32 group)
{
	struct drop_stat *d = bpf_map_lookup_elem(&drops, &group);
	__u64 now = bpf_ktime_get_ns();

	if (!d)
		return;
	if (d->count == d->reported)
		d->first_ts = now;
	d->last_ts = now;
	d->count++;
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

/* This CPU's ring buffer. */
static __always_inline void *cpu_ring(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&events, &cpu);
}

/* Bytes this CPU's probes have produced into its ring (wakeup_flag_for). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} produced SEC(".maps") __weak;

/*
 * Wake user space once per batch, not per record: wakeups (an IPI each)
 * are expensive. Only the record that makes this CPU's produced bytes
 * cross a multiple of the batch size (a power of two: a shift, no division
 * in the hot path) wakes; user space drains every ring once awake (it may
 * keep the newest records a moment, to order them across CPUs: counting
 * produced bytes, not pending ones, still wakes it per batch), and polls
 * on a timer for batches that never fill. The count is kept in a per-CPU
 * array (an inlined lookup), not read with bpf_ringbuf_query: a helper
 * call per record costs more here than the whole comparison.
 */
static __always_inline __u64 wakeup_flag_for(__u64 size)
{
	__u32 zero = 0;
	__u64 *p = bpf_map_lookup_elem(&produced, &zero);
	__u64 pos;

	if (!p)
		return BPF_RB_NO_WAKEUP;
	pos = *p;
	*p = pos + size;
	return pos >> wakeup_shift != (pos + size) >> wakeup_shift ? BPF_RB_FORCE_WAKEUP :
								     BPF_RB_NO_WAKEUP;
}

/*
 * The losses of GROUP on this CPU not yet reported, as a time-stamped
 * record, once the ring has room again (the recorder writes what is left
 * at stop): reports can say when events were lost, not only how many.
 */
static __always_inline void report_drops(void *ring, __u32 group)
{
	struct drop_stat *d = bpf_map_lookup_elem(&drops, &group);
	struct meta_drop_window w = {};

	if (!d || d->count == d->reported)
		return;
	w.h.type = META_DROP_WINDOW;
	w.h.size = sizeof(w);
	w.h.cpu = bpf_get_smp_processor_id();
	w.h.ts = d->last_ts;
	w.group = group;
	w.start_ts = d->first_ts;
	w.count = d->count - d->reported;
	if (!bpf_ringbuf_output(ring, &w, sizeof(w), BPF_RB_NO_WAKEUP))
		d->reported += w.count;
}

/*
 * The emit path of every program: rec_reserve() a record of SIZE bytes for
 * GROUP (NULL: lost and counted), fill it, rec_submit() it (its h.size is
 * what counts toward a batch); or rec_output() a record built elsewhere.
 */
static __always_inline void *rec_reserve(__u32 size, __u32 group)
{
	void *ring = cpu_ring();
	void *e;

	if (!ring)
		return NULL;
	report_drops(ring, group);
	e = bpf_ringbuf_reserve(ring, size, 0);
	if (!e)
		count_drop(group);
	return e;
}

static __always_inline void rec_submit(void *e)
{
	/* the counter is the reserving CPU's: BPF programs run with migration off */
	bpf_ringbuf_submit(e, wakeup_flag_for(((struct ev_hdr *)e)->size));
}

static __always_inline void rec_output(void *e, __u32 size, __u32 group)
{
	void *ring = cpu_ring();

	if (!ring)
		return;
	report_drops(ring, group);
	/* (a record that finds no room still counts: it only moves the batch edges) */
	if (bpf_ringbuf_output(ring, e, size, wakeup_flag_for(size)))
		count_drop(group);
}

#endif /* BPFREC_COMMON_BPF_H */
