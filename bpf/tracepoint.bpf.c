// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tracepoints group: one program for every generic tracepoint. The entry
 * cannot say which tracepoint fired (its first bytes hold a pt_regs
 * pointer in a BPF program), so each attachment carries a BPF cookie, the
 * index of its struct tp_attach: the fixed size, the __data_loc fields to
 * follow and the filters. The program checks the field filter (struct
 * tp_terms) on the entry in place, then copies the fixed part plus the
 * dynamic data those fields point at, up to TP_DATA_MAX bytes.
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TP_MAX);
	__type(key, __u32);
	__type(value, struct tp_attach);
} tp_attach SEC(".maps");

/* Field filters by cookie; sized by the recorder, read when nterms > 0. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TP_MAX);
	__type(key, __u32);
	__type(value, struct tp_terms);
} tp_terms SEC(".maps");

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

/* The integer field of term T, sign-extended if signed. 0 or -1 (unreadable). */
static __always_inline int read_int(void *ctx, const struct tp_term *t, __u64 *v)
{
	void *p = ctx + t->off;
	bool sgn = t->flags & TPT_SIGNED;
	int err;

	/* constant sizes: the helper reads no byte past the field */
	switch (t->size) {
	case 1: {
		__u8 x;

		err = bpf_probe_read_kernel(&x, 1, p);
		*v = sgn ? (__u64)(__s64)(__s8)x : x;
		break;
	}
	case 2: {
		__u16 x;

		err = bpf_probe_read_kernel(&x, 2, p);
		*v = sgn ? (__u64)(__s64)(__s16)x : x;
		break;
	}
	case 4: {
		__u32 x;

		err = bpf_probe_read_kernel(&x, 4, p);
		*v = sgn ? (__u64)(__s64)(__s32)x : x;
		break;
	}
	default:
		err = bpf_probe_read_kernel(v, 8, p);
	}
	return err;
}

/* A string term: the field's first size bytes against the constant's. */
static __always_inline bool str_equal(void *ctx, const struct tp_term *t)
{
	char buf[TP_STR_MAX] = {};
	__u32 n = t->size;

	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(n) : "i"(TP_STR_MAX));
	if (bpf_probe_read_kernel(buf, n, ctx + t->off))
		return false;
	for (int i = 0; i < TP_STR_MAX; i++) {
		if (i >= n)
			break;
		if (buf[i] != t->str[i])
			return false;
	}
	return true;
}

static __always_inline bool term_true(void *ctx, const struct tp_term *t)
{
	__u64 v;

	if (t->op == TPO_STR_EQ || t->op == TPO_STR_NE)
		return str_equal(ctx, t) == (t->op == TPO_STR_EQ);
	if (read_int(ctx, t, &v))
		return false;
	switch (t->op) {
	case TPO_EQ:
		return v == t->val;
	case TPO_NE:
		return v != t->val;
	case TPO_AND:
		return v & t->val;
	case TPO_LT:
		return t->flags & TPT_SIGNED ? (__s64)v < (__s64)t->val : v < t->val;
	case TPO_LE:
		return t->flags & TPT_SIGNED ? (__s64)v <= (__s64)t->val : v <= t->val;
	case TPO_GT:
		return t->flags & TPT_SIGNED ? (__s64)v > (__s64)t->val : v > t->val;
	case TPO_GE:
		return t->flags & TPT_SIGNED ? (__s64)v >= (__s64)t->val : v >= t->val;
	}
	return false;
}

/* The field filter of attachment KEY holds for the entry (no filter: true). */
static __always_inline bool fields_match(void *ctx, const struct tp_attach *a, __u32 key)
{
	const struct tp_terms *f;
	bool conj = true; /* the current conjunction, so far */

	if (!a->nterms)
		return true;
	f = bpf_map_lookup_elem(&tp_terms, &key);
	if (!f)
		return false;
	for (int i = 0; i < TP_TERMS_MAX; i++) {
		const struct tp_term *t = &f->t[i];

		if (i >= a->nterms)
			break;
		if (t->flags & TPT_OR) {
			if (conj)
				return true;
			conj = true;
		}
		if (conj && !term_true(ctx, t))
			conj = false;
	}
	return conj;
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
	/*
	 * @all: whatever task the event interrupts or runs in, the recorder
	 * too (as perf -a): a completion or wakeup in an interrupt that hit
	 * the recorder, a switch from it to another task, are not its own.
	 */
	if (a->mode != TPF_ALL && !want_current(pid_tgid))
		return 0;
	if (!fields_match(ctx, a, key))
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
