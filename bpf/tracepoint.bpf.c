// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tracepoints group: one program for every generic tracepoint. The entry
 * cannot say which tracepoint fired (its first bytes hold a pt_regs
 * pointer in a BPF program), so each attachment carries a BPF cookie, the
 * index of its struct tp_attach: the fixed size, the __data_loc fields to
 * follow and the filter. The program copies the fixed part plus the
 * dynamic data those fields point at, up to TP_DATA_MAX bytes.
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TP_MAX);
	__type(key, __u32);
	__type(value, struct tp_attach);
} tp_attach SEC(".maps");

/* Records of a tracepoint that could not be reserved, per CPU, by cookie. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} tp_drops SEC(".maps");

/* The end of the entry: the fixed part or the furthest dynamic data. */
static __always_inline __u32 entry_len(void *ctx, const struct tp_attach *a)
{
	__u32 end = a->fixed_size;

	for (int i = 0; i < TP_LOC_MAX; i++) {
		__u32 loc, off, e;

		if (i >= a->nloc)
			break;
		off = a->loc_off[i] & ~TP_LOC_REL;
		if (bpf_probe_read_kernel(&loc, sizeof(loc), ctx + off))
			continue;
		e = (loc & 0xffff) + (loc >> 16);
		if (a->loc_off[i] & TP_LOC_REL)
			e += off + 4;
		if (e > end)
			end = e;
	}
	return end;
}

/*
 * Reserve room for CAP data bytes (a constant: the ring buffer wants one)
 * and copy LEN <= CAP of them. Records come in four size classes, so a
 * 64-byte sched_switch does not hold 4 KiB of the ring buffer.
 */
static __always_inline int emit(void *ctx, __u32 key, const struct tp_attach *a, __u32 len,
				__u16 flags, __u32 cap)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct ev_tp *e;

	e = rec_reserve(sizeof(*e) + cap, GRP_TRACEPOINTS);
	if (!e) {
		__u64 *n = bpf_map_lookup_elem(&tp_drops, &key);

		if (n)
			(*n)++;
		return 0;
	}
	/* The caller's size class bounds LEN, but the verifier must see the
	 * bound on the register passed to the copy: the compiler would drop a
	 * plain C check it knows to be true. */
	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(len) : "i"(cap));
	fill_hdr(&e->h, EV_TP, (sizeof(*e) + len + 7) & ~7, pid_tgid, bpf_ktime_get_ns());
	e->h.flags = flags;
	e->id = a->id;
	e->len = len;
	e->pad = 0;
	if (bpf_probe_read_kernel(e + 1, len, ctx))
		e->len = 0;
	else if (len >= 8)
		*(__u64 *)(e + 1) = 0; /* a kernel pointer, not the common fields */
	rec_submit(e);
	return 0;
}

SEC("tracepoint")
int tp_generic(void *ctx)
{
	__u32 key = bpf_get_attach_cookie(ctx);
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct tp_attach *a;
	__u16 flags = 0;
	__u32 len;

	if (capture_off)
		return 0;
	a = bpf_map_lookup_elem(&tp_attach, &key);
	if (!a)
		return 0;
	if (a->mode == TPF_ALL ? pid_tgid >> 32 == self_tgid : !want_current(pid_tgid))
		return 0;
	len = entry_len(ctx, a);
	if (len > TP_DATA_MAX) {
		len = TP_DATA_MAX;
		flags = EVF_TP_TRUNC;
	}
	if (len <= 64)
		return emit(ctx, key, a, len, flags, 64);
	if (len <= 256)
		return emit(ctx, key, a, len, flags, 256);
	if (len <= 1024)
		return emit(ctx, key, a, len, flags, 1024);
	return emit(ctx, key, a, len, flags, TP_DATA_MAX);
}
