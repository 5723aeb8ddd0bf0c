// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * syscalls and files groups: one record per completed system call, enter
 * and exit paired per thread in the kernel so user space gets half the
 * records. The files group is the subset flagged SF_FILES in sys_info.
 */
#include "common.bpf.h"

#define TAIL_MAX (2 * BPFREC_PATH_MAX)

/* Per-syscall flags (SF_*), indexed by syscall number. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BPFREC_NR_SYSCALLS);
	__type(key, __u32);
	__type(value, __u32);
} sys_info SEC(".maps");

/* Calls in flight, keyed by tid: the record minus exit_ts and ret. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct ev_syscall);
} inflight SEC(".maps");

/* Path arguments of calls in flight, read at enter while still valid. */
struct paths {
	__u32 len;
	char buf[TAIL_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct paths);
} inflight_paths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct paths);
} scratch SEC(".maps");

static __always_inline __u32 group_of(__u32 info)
{
	return (info & SF_FILES) && !group_on(GRP_SYSCALLS) ? GRP_FILES :
							       GRP_SYSCALLS;
}

static __always_inline __u32 sys_flags(__u32 nr)
{
	__u32 *info = bpf_map_lookup_elem(&sys_info, &nr);

	return info ? *info : 0;
}

/* Stored size of a record without tail: only the args the call takes. */
static __always_inline __u32 fixed_size(const struct ev_syscall *e)
{
	__u32 n = e->nargs;

	if (n > 6) /* for the verifier: e->nargs is never more */
		n = 6;
	return EV_SYSCALL_FIXED + 8 * n;
}

/* Read the one or two path arguments; strings are stored back to back. */
static __always_inline void stash_paths(__u32 tid, __u32 info, const __u64 *args,
					__u32 group)
{
	__u32 zero = 0, a = SF_PATH_A(info), b = SF_PATH_B(info);
	struct paths *p = bpf_map_lookup_elem(&scratch, &zero);
	long n;

	if (!p)
		return;
	p->len = 0;
	if (a && a <= 6) {
		n = bpf_probe_read_user_str(p->buf, BPFREC_PATH_MAX,
					    (void *)args[a - 1]);
		if (n <= 0) {
			p->buf[0] = 0;
			n = 1;
		}
		p->len = n;
	}
	if (b && b <= 6) {
		__u32 off = p->len;

		if (off > BPFREC_PATH_MAX)
			off = BPFREC_PATH_MAX;
		n = bpf_probe_read_user_str(p->buf + off, BPFREC_PATH_MAX,
					    (void *)args[b - 1]);
		if (n <= 0) {
			p->buf[off] = 0;
			n = 1;
		}
		p->len = off + n;
	}
	if (bpf_map_update_elem(&inflight_paths, &tid, p, BPF_ANY))
		count_drop(group);
}

/* A record with no tail: copied straight from the stack, args trimmed. */
static __always_inline void emit_plain(struct ev_syscall *e, __u32 group)
{
	__u32 size = fixed_size(e);

	e->h.size = size;
	if (bpf_ringbuf_output(&events, e, size, wakeup_flag()))
		count_drop(group);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid, nr = id, group, info, nargs;
	struct ev_syscall e = {};
	struct pt_regs r;

	if (nr >= BPFREC_NR_SYSCALLS)
		return 0;
	info = sys_flags(nr);
	if (!group_on(GRP_SYSCALLS) && !(info & SF_FILES))
		return 0;
	if (!want_current(pid_tgid))
		return 0;
	group = group_of(info);

	bpf_probe_read_kernel(&r, sizeof(r), regs);
	fill_hdr(&e.h, EV_SYSCALL, 0, pid_tgid, bpf_ktime_get_ns());
	e.nr = nr;
	nargs = SF_NARGS(info);
	e.nargs = nargs > 6 ? 6 : nargs;
	e.args[0] = r.di;
	e.args[1] = r.si;
	e.args[2] = r.dx;
	e.args[3] = r.r10;
	e.args[4] = r.r8;
	e.args[5] = r.r9;

	if (info & SF_NORETURN) {
		emit_plain(&e, group);
		return 0;
	}
	if (SF_PATH_A(info))
		stash_paths(tid, info, e.args, group);
	if (bpf_map_update_elem(&inflight, &tid, &e, BPF_ANY))
		count_drop(group);
	return 0;
}

/* Emit a call with its paths as the tail. */
static __always_inline void emit_paths(struct ev_syscall *e, __u32 tid,
				       __u32 group)
{
	struct paths *p = bpf_map_lookup_elem(&inflight_paths, &tid);
	struct ev_syscall *out;
	__u32 len, fixed;

	if (!p) {
		emit_plain(e, group);
		return;
	}
	len = p->len;
	if (len > TAIL_MAX)
		len = TAIL_MAX;
	out = reserve(sizeof(*out) + TAIL_MAX, group);
	if (out) {
		fixed = fixed_size(e);
		*out = *e;
		out->tail_kind = TAIL_PATHS;
		out->tail_len = len;
		out->h.size = (fixed + len + 7) & ~7;
		bpf_probe_read_kernel((char *)out + fixed, TAIL_MAX, p->buf);
		submit(out);
	}
	bpf_map_delete_elem(&inflight_paths, &tid);
}

/* Emit a call that filled an int[2] of fds (pipe, pipe2, socketpair). */
static __always_inline void emit_fdpair(struct ev_syscall *e, __u32 idx,
					__u32 group)
{
	__u32 n = e->nargs, size;
	__u64 fds; /* int[2] */

	/* the pair takes the slot after the last stored arg: needs n < 6 */
	if (e->ret != 0 || idx > 6 || n > 5 ||
	    bpf_probe_read_user(&fds, sizeof(fds), (void *)e->args[idx - 1])) {
		emit_plain(e, group);
		return;
	}
	for (int i = 0; i < 6; i++)
		if (i == n)
			e->args[i] = fds;
	size = EV_SYSCALL_FIXED + 8 * n + sizeof(fds);
	e->tail_kind = TAIL_FDPAIR;
	e->tail_len = sizeof(fds);
	e->h.size = size;
	if (bpf_ringbuf_output(&events, e, size, wakeup_flag()))
		count_drop(group);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u32 tid = bpf_get_current_pid_tgid(), info, group;
	struct ev_syscall *in, e;

	in = bpf_map_lookup_elem(&inflight, &tid);
	if (!in)
		return 0;
	e = *in;
	bpf_map_delete_elem(&inflight, &tid);
	e.exit_ts = bpf_ktime_get_ns();
	e.ret = ret;
	info = sys_flags(e.nr);
	group = group_of(info);

	if (SF_PATH_A(info))
		emit_paths(&e, tid, group);
	else if (SF_FDPAIR(info))
		emit_fdpair(&e, SF_FDPAIR(info), group);
	else
		emit_plain(&e, group);
	return 0;
}
