// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * syscalls and files groups: one record per completed system call, enter
 * and exit paired per thread in the kernel so user space gets half the
 * records. The files group is the subset flagged SF_FILES in sys_info.
 *
 * Two variants of the enter/exit pair; the recorder loads one:
 * - tp_btf (fast): registers read directly (through syscall_regs.bpf.h),
 *   the call in flight kept in a per-CPU slot, moved into the task's own
 *   storage by sched_switch only when the task leaves the CPU mid-call;
 * - raw_tp + hash map (fallback for kernels without BTF or task storage).
 */
#include "common.bpf.h"
#include <bpf/bpf_endian.h>
#include "syscall_regs.bpf.h"
#include "xring.bpf.h"

#define TAIL_MAX (2 * BPFREC_PATH_MAX)
#define EXEC_ARGS_MAX 20 /* argv strings read for a failed exec, like BCC's execsnoop */
#define AF_INET 2
#define AF_INET6 10
#define AF_UNIX 1
#define EINPROGRESS 115
#define S_IFMT 00170000
#define S_IFSOCK 0140000

/* Per-syscall flags (SF_*), indexed by syscall number. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BPFREC_NR_SYSCALLS);
	__type(key, __u32);
	__type(value, __u32);
} sys_info SEC(".maps");

/*
 * Path arguments of a call in flight, read at enter while still valid;
 * for exec, argv after the path; for connect and bind (SF_ADDR), the
 * address argument instead. buf has room past TAIL_MAX so each string
 * read has a constant bound; only TAIL_MAX bytes are ever emitted.
 */
struct paths {
	__u32 len; /* bytes in buf */
	__u16 plen; /* of which paths */
	__u8 lost; /* EVF_PATH_LOST, EVF_PATH2_LOST: a read failed */
	__u8 pad;
	char buf[TAIL_MAX + BPFREC_ARGS_MAX];
};

/* A call in flight: the record minus exit_ts and ret. */
struct inflight {
	struct ev_syscall e;
	__u8 active; /* entered, not yet exited */
};

/*
 * The task running on this CPU and its call in flight. Most calls neither
 * block nor are preempted: they enter and exit on one CPU with nothing
 * else running in between, so the pair needs no per-task lookup (helper
 * calls, the largest cost left per call). sched_switch (sys_spill) empties
 * the slot whenever its task leaves the CPU, so an active slot at sys_exit
 * is always the exiting task's own call, and what the slot knows of "who
 * runs here" stays true until then (or an exec, which may change the tid).
 */
struct cpu_slot {
	struct inflight in;
	__u64 pid_tgid; /* of the running task, when verdict is known */
	__u8 verdict; /* 0 unknown, 1 recorded, 2 not */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_slot);
} cpu_slot SEC(".maps");

/* Calls whose task left the CPU between enter and exit. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight_task SEC(".maps");

/* Separate: only tasks that make path- or address-taking calls carry the 516 bytes. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct paths);
} paths_task SEC(".maps");

/* Fallback: keyed by tid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct ev_syscall);
} inflight_hash SEC(".maps");

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

/* Read string PTR at OFF; an unreadable one is stored as "" and flagged LOST. */
static __always_inline __u32 read_str(struct paths *p, __u32 off, const void *ptr,
				      __u8 lost)
{
	long n;

	off &= TAIL_MAX - 1; /* for the verifier: off is at most TAIL_MAX / 2 */
	n = bpf_probe_read_user_str(p->buf + off, BPFREC_PATH_MAX, ptr);
	if (n > 0)
		return n;
	p->buf[off] = 0;
	p->lost |= lost;
	return 1;
}

/* argv[] of an exec, NUL-separated after the path, at most BPFREC_ARGS_MAX bytes. */
static __always_inline void read_argv(struct paths *p, const char *const *argv)
{
	__u32 end = p->len + BPFREC_ARGS_MAX;
	const char *arg;
	long n;

	for (int i = 0; i < EXEC_ARGS_MAX && p->len < end; i++) {
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		n = bpf_probe_read_user_str(p->buf + (p->len & (TAIL_MAX - 1)),
					    BPFREC_ARGS_MAX, arg);
		if (n <= 0)
			break;
		p->len += n;
	}
	if (p->len > end)
		p->len = end; /* the last one cut: its NUL is past the end */
}

/*
 * Read the one or two path arguments, stored back to back, and an exec's
 * argv after them. At enter a string in a page not yet faulted in (an
 * untouched constant) cannot be read; the exit reads it again.
 */
static __always_inline void read_paths(struct paths *p, __u32 info, const __u64 *args)
{
	__u32 a = SF_PATH_A(info), b = SF_PATH_B(info);

	p->len = 0;
	p->lost = 0;
	if (a && a <= 6)
		p->len = read_str(p, 0, (void *)args[a - 1], EVF_PATH_LOST);
	if (b && b <= 6)
		p->len += read_str(p, p->len, (void *)args[b - 1], EVF_PATH2_LOST);
	p->plen = p->len;
	/* --no-args: argv never leaves the kernel, failed execs' included */
	if ((info & SF_EXEC) && a < 6 && !no_args)
		read_argv(p, (const char *const *)args[a]);
}

/*
 * The address argument of a connect or bind as the caller passed it, the
 * bytes the kernel copies: addrlen of them, none when addrlen is out of
 * 0..BPFREC_SOCKADDR_MAX (the kernel refuses it, EINVAL) or the read fails.
 */
static __always_inline void read_addr(struct paths *p, const __u64 *args)
{
	__u64 len = (__u32)args[2]; /* an int: a negative one is above the maximum too */

	if (len > BPFREC_SOCKADDR_MAX)
		len = 0;
	p->lost = bpf_probe_read_user(p->buf, len, (void *)args[1]) ? EVF_PATH_LOST : 0;
	p->len = p->plen = p->lost ? 0 : len;
}

/* What sys_enter reads from user memory for a call of INFO (SF_ENTER_READ). */
static __always_inline void read_enter(struct paths *p, __u32 info, const __u64 *args)
{
	if (info & SF_ADDR)
		read_addr(p, args);
	else
		read_paths(p, info, args);
}

/* A record with no tail, args trimmed to those the call takes. */
static __always_inline void emit_plain(struct ev_syscall *e, __u32 group)
{
	__u32 size = fixed_size(e);

	e->h.size = size;
	xring_output(e, size, group);
}

/* A call with LEN bytes of BUF (which has TAIL_MAX readable) as its tail. */
static __always_inline void emit_tail(struct ev_syscall *e, __u8 kind, const void *buf,
				      __u32 len, __u32 group)
{
	struct ev_syscall *out;
	__u32 fixed;

	if (len > TAIL_MAX)
		len = TAIL_MAX;
	out = rec_reserve(sizeof(*out) + TAIL_MAX, group);
	if (out) {
		fixed = fixed_size(e);
		*out = *e;
		out->tail_kind = kind;
		out->tail_len = len;
		out->h.size = (fixed + len + 7) & ~7;
		bpf_probe_read_kernel((char *)out + fixed, TAIL_MAX, buf);
		rec_submit(out);
	}
}

/*
 * A call with its paths (read at enter, NULL if lost), read again now if a
 * read failed then: the kernel has faulted the string in. Not after an
 * exec that worked, whose old address space is gone (the exec event has
 * the filename). A failed exec keeps its argv too.
 */
static __always_inline void emit_paths(struct ev_syscall *e, struct paths *p, __u32 info,
				       __u32 group)
{
	bool exec_ok = (info & SF_EXEC) && e->ret == 0;

	if (!p) {
		emit_plain(e, group);
		return;
	}
	if (p->lost && !exec_ok)
		read_paths(p, info, e->args);
	e->h.flags = p->lost;
	if ((info & SF_EXEC) && !exec_ok)
		emit_tail(e, TAIL_EXEC, p->buf, p->len, group);
	else
		emit_tail(e, TAIL_PATHS, p->buf, p->plen, group);
}

/* The file behind the current task's FD, or NULL. */
static __always_inline struct file *fd_file(__u32 fd)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds, *f = NULL;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_core_read(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline __u64 fd_ino(__s32 fd)
{
	struct file *f = fd_file(fd);

	return f ? BPF_CORE_READ(f, f_inode, i_ino) : 0;
}

/* A call that filled an int[2] of fds (pipe, pipe2, socketpair), with their inodes. */
static __always_inline void emit_fdpair(struct ev_syscall *e, __u32 idx, __u32 group)
{
	__u32 zero = 0;
	struct paths *p = bpf_map_lookup_elem(&scratch, &zero);
	struct ev_fdpair *t;

	if (!p || e->ret != 0 || idx > 6) {
		emit_plain(e, group);
		return;
	}
	t = (struct ev_fdpair *)p->buf;
	if (bpf_probe_read_user(t->fds, sizeof(t->fds), (void *)e->args[idx - 1])) {
		emit_plain(e, group);
		return;
	}
	t->ino[0] = fd_ino(t->fds[0]);
	t->ino[1] = fd_ino(t->fds[1]);
	emit_tail(e, TAIL_FDPAIR, t, sizeof(*t), group);
}

/* The AF_UNIX path bound to SK (its own, else its peer's) at OUT, NUL-terminated. */
static __always_inline __u32 unix_path(char *out, struct sock *sk)
{
	struct unix_sock *u = (struct unix_sock *)sk;
	struct unix_address *addr = BPF_CORE_READ(u, addr);
	int len;

	if (!addr) {
		u = (struct unix_sock *)BPF_CORE_READ(u, peer);
		addr = u ? BPF_CORE_READ(u, addr) : NULL;
	}
	if (!addr)
		return 0;
	len = BPF_CORE_READ(addr, len) - 2; /* minus sun_family */
	if (len <= 0)
		return 0;
	if (len > 107)
		len = 107;
	bpf_probe_read_kernel(out, 108, addr->name[0].sun_path);
	if (!out[0])
		out[0] = '@'; /* abstract, as /proc/net/unix shows it */
	out[len & 127] = 0;
	return (len & 127) + 1;
}

/*
 * A socket call, with the socket its fd names at exit (socket, bind,
 * connect, listen, accept): TAIL_SOCK when it worked or is in progress.
 * A bind or connect that failed: TAIL_SOCKADDR, with ADDR, the address
 * argument read at enter (NULL for other calls, whose failures keep no tail).
 */
static __always_inline void emit_sock(struct ev_syscall *e, __u32 which, struct paths *addr,
				      __u32 group)
{
	bool ok = e->ret >= 0 || e->ret == -EINPROGRESS;
	__u32 zero = 0, len = sizeof(struct ev_sock);
	struct paths *p = bpf_map_lookup_elem(&scratch, &zero);
	struct sock *sk = NULL;
	struct file *f = NULL;
	struct ev_sock *k;

	if (p && (ok || addr))
		f = fd_file(which == SF_SOCK_RET ? e->ret : e->args[0]);
	/* a failed call's fd may be no socket at all (ENOTSOCK) */
	if (f && (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) == S_IFSOCK) {
		struct socket *sock = BPF_CORE_READ(f, private_data);

		sk = BPF_CORE_READ(sock, sk);
	}
	if (!p || (ok ? !sk : !addr)) {
		emit_plain(e, group);
		return;
	}
	k = (struct ev_sock *)p->buf;
	__builtin_memset(k, 0, sizeof(*k));
	if (sk) {
		k->ino = BPF_CORE_READ(f, f_inode, i_ino);
		k->family = BPF_CORE_READ(sk, __sk_common.skc_family);
		k->type = BPF_CORE_READ(sk, sk_type);
		k->protocol = BPF_CORE_READ(sk, sk_protocol);
	}
	if (k->family == AF_INET || k->family == AF_INET6) {
		k->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		k->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	}
	/* (the _INTO reads take the size of what the first argument points to) */
	if (k->family == AF_INET) {
		BPF_CORE_READ_INTO((__be32 *)k->laddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__be32 *)k->raddr, sk, __sk_common.skc_daddr);
	} else if (k->family == AF_INET6) {
		BPF_CORE_READ_INTO((struct in6_addr *)k->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)k->raddr, sk, __sk_common.skc_v6_daddr);
	} else if (k->family == AF_UNIX && ok) {
		len += unix_path(p->buf + sizeof(*k), sk);
	}
	if (ok) {
		emit_tail(e, TAIL_SOCK, p->buf, len, group);
		return;
	}
	/* read again if that failed at enter: the kernel has faulted it in */
	if (addr->lost)
		read_addr(addr, e->args);
	__builtin_memcpy(p->buf + sizeof(*k), addr->buf, BPFREC_SOCKADDR_MAX);
	len += addr->len < BPFREC_SOCKADDR_MAX ? addr->len : BPFREC_SOCKADDR_MAX;
	emit_tail(e, TAIL_SOCKADDR, p->buf, len, group);
}

/* Filters first: most calls of an unwanted task stop here. */
static __always_inline bool enter_wanted(__u32 nr, __u64 pid_tgid, __u32 *info)
{
	if (nr >= BPFREC_NR_SYSCALLS)
		return false;
	*info = sys_flags(nr);
	if (!group_on(GRP_SYSCALLS) && !(*info & SF_FILES))
		return false;
	return want_current(pid_tgid);
}

static __always_inline void enter_fill(struct ev_syscall *e, __u32 nr,
				       __u32 info, __u64 pid_tgid)
{
	__u32 nargs = SF_NARGS(info);

	fill_hdr(&e->h, EV_SYSCALL, 0, pid_tgid, bpf_ktime_get_ns());
	e->exit_ts = 0;
	e->ret = 0;
	e->nr = nr;
	e->nargs = nargs > 6 ? 6 : nargs;
	e->tail_kind = TAIL_NONE;
	e->tail_len = 0;
}

/* After the args are in: returns true when the call waits for its exit. */
static __always_inline bool enter_done(struct ev_syscall *e, __u32 info)
{
	if (info & SF_NORETURN) {
		emit_plain(e, group_of(info));
		return false;
	}
	return true;
}

/* INFO: the call's sys_info flags; PATHS: what the enter side read for a
 * path- or address-taking call (SF_ENTER_READ), or NULL. */
static __always_inline void exit_emit(struct ev_syscall *e, long ret, __u32 info,
				      struct paths *paths)
{
	__u32 group = group_of(info);

	e->exit_ts = bpf_ktime_get_ns();
	e->ret = ret;
	if (SF_PATH_A(info))
		emit_paths(e, paths, info, group);
	else if (SF_FDPAIR(info))
		emit_fdpair(e, SF_FDPAIR(info), group);
	else if (SF_SOCK(info))
		emit_sock(e, SF_SOCK(info), paths, group); /* NULL unless SF_ADDR */
	else
		emit_plain(e, group);
}

/*
 * want_current() for the task running on this CPU, remembered in the slot
 * until it leaves the CPU or execs. A task's tgid only joins the traced map
 * before it runs (fork) or at its exec (the launched command, never
 * remembered as "no").
 */
static __always_inline bool slot_wanted(struct cpu_slot *c)
{
	if (!c->verdict) {
		struct task_struct *task = bpf_get_current_task_btf();
		__u32 tgid = task->tgid;

		/* what bpf_get_current_pid_tgid() returns, without its call */
		c->pid_tgid = (__u64)tgid << 32 | (__u32)task->pid;
		if (tgid == self_tgid)
			c->verdict = 2;
		else if (!filter_traced)
			c->verdict = 1;
		else if (bpf_map_lookup_elem(&traced, &tgid))
			c->verdict = 1;
		else if (tgid == launch_tgid)
			return false;
		else
			c->verdict = 2;
	}
	return c->verdict == 1 && current_comm_wanted();
}

static __always_inline struct cpu_slot *this_cpu_slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_slot, &zero);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	struct cpu_slot *c;
	struct ev_syscall *e;
	struct paths *p;
	__u32 nr = id, info;

	if (nr >= BPFREC_NR_SYSCALLS)
		return 0;
	info = sys_flags(nr);
	if (!group_on(GRP_SYSCALLS) && !(info & SF_FILES))
		return 0;
	c = this_cpu_slot();
	if (!c || !slot_wanted(c))
		return 0;
	e = &c->in.e;
	enter_fill(e, nr, info, c->pid_tgid);
	sys_args(regs, e->args);
	if (SF_ENTER_READ(info)) {
		p = bpf_task_storage_get(&paths_task, bpf_get_current_task_btf(), 0,
					 BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (p)
			read_enter(p, info, e->args);
		else
			count_drop(group_of(info));
	}
	c->in.active = enter_done(e, info);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf, struct pt_regs *regs, long ret)
{
	struct cpu_slot *c = this_cpu_slot();
	struct inflight *s;
	__u32 info;

	if (!c)
		return 0;
	s = &c->in;
	if (!s->active) { /* its task left the CPU mid-call: spilled, or none */
		s = bpf_task_storage_get(&inflight_task, bpf_get_current_task_btf(), 0, 0);
		if (!s || !s->active)
			return 0;
	}
	s->active = 0;
	info = sys_flags(s->e.nr);
	if (info & SF_EXEC)
		c->verdict = 0; /* a thread's exec takes its leader's tid */
	exit_emit(&s->e, ret, info,
		  SF_ENTER_READ(info) ?
			  bpf_task_storage_get(&paths_task, bpf_get_current_task_btf(), 0, 0) :
			  NULL);
	return 0;
}

/*
 * A task leaves this CPU: its call in flight, if any, moves into its own
 * storage (for its exit, here or on another CPU), and who runs here is
 * forgotten. Attached before sys_enter, detached after it.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(sys_spill, bool preempt, struct task_struct *prev)
{
	struct cpu_slot *c = this_cpu_slot();
	struct inflight *t;

	if (!c)
		return 0;
	c->verdict = 0; /* the next task's is not known yet */
	if (!c->in.active)
		return 0;
	c->in.active = 0;
	t = bpf_task_storage_get(&inflight_task, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		count_drop(group_of(sys_flags(c->in.e.nr)));
		return 0;
	}
	t->e = c->in.e;
	t->active = 1;
	return 0;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = pid_tgid, info, zero = 0;
	struct ev_syscall e;
	struct pt_regs r;

	if (!enter_wanted(id, pid_tgid, &info))
		return 0;
	enter_fill(&e, id, info, pid_tgid);
	bpf_probe_read_kernel(&r, sizeof(r), regs);
	sys_args(&r, e.args);
	if (SF_ENTER_READ(info)) {
		struct paths *p = bpf_map_lookup_elem(&scratch, &zero);

		if (p) {
			read_enter(p, info, e.args);
			if (bpf_map_update_elem(&inflight_paths, &tid, p, BPF_ANY))
				count_drop(group_of(info));
		}
	}
	if (enter_done(&e, info) &&
	    bpf_map_update_elem(&inflight_hash, &tid, &e, BPF_ANY))
		count_drop(group_of(info));
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	__u32 tid = bpf_get_current_pid_tgid(), info;
	struct ev_syscall *in, e;

	in = bpf_map_lookup_elem(&inflight_hash, &tid);
	if (!in)
		return 0;
	e = *in;
	bpf_map_delete_elem(&inflight_hash, &tid);
	info = sys_flags(e.nr);
	if (SF_ENTER_READ(info)) {
		exit_emit(&e, ret, info, bpf_map_lookup_elem(&inflight_paths, &tid));
		bpf_map_delete_elem(&inflight_paths, &tid);
	} else {
		exit_emit(&e, ret, info, NULL);
	}
	return 0;
}
