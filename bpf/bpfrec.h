/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Record layouts shared by the BPF programs, the recorder and the analyzer.
 *
 * Every record in a trace, kernel event or recorder metadata, starts with
 * struct ev_hdr. Records are 8-byte aligned; h.size is the full record size
 * including the variable tail. Layout changes follow the version policy of
 * record/FORMAT.md (BF_VERSION in trace_format.h).
 */
#ifndef BPFREC_H
#define BPFREC_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define BPFREC_COMM_LEN 16
#define BPFREC_PATH_MAX 256 /* a path tail is truncated to this, NUL included */
#define BPFREC_ARGS_MAX 256 /* exec argument tail, NUL-separated */

/* Record types (bpf/records.def); recorder metadata: enum meta_type. */
#define BF_EV_TYPE_END 64 /* kernel events: 1..63 */
#define BF_TYPE_END 128 /* recorder metadata: 64..127 */

enum ev_type {
#define EV(num, id, ...) id = num,
#define META(...)
#include "records.def"
};

/* Metadata record types (h.type), carried in META and STOP blocks. */
enum meta_type {
#define EV(...)
#define META(num, id, ...) id = num,
#include "records.def"
};

/* Probe groups (bpf/groups.def), also the index into the per-CPU drop counters. */
enum ev_group {
#define GROUP(id, ...) id,
#include "groups.def"
	GRP_MAX,
};

struct ev_hdr {
	__u16 type; /* enum ev_type or enum meta_type */
	__u16 size; /* whole record, header and tail, multiple of 8 */
	__u16 cpu;
	__u16 flags; /* per type: EVF_* of ev_syscall and ev_tp; 0 for every other type */
	__u32 pid; /* tgid */
	__u32 tid;
	__u64 ts; /* CLOCK_MONOTONIC ns (bpf_ktime_get_ns) */
};

/* Per CPU and group (the drops map): lost records and their time window. */
struct drop_stat {
	__u64 count; /* lost since the start */
	__u64 reported; /* of which written as meta_drop_window records */
	__u64 first_ts; /* the first loss not reported yet */
	__u64 last_ts; /* the last loss */
};

/*
 * META_DROP_WINDOW: COUNT records of GROUP lost on CPU h.cpu between
 * start_ts and h.ts (the first and the last loss). Written by the probes
 * once the CPU's ring has room again, the rest by the recorder at stop:
 * the windows of a CPU and group add up to its META_DROPS count.
 */
struct meta_drop_window {
	struct ev_hdr h; /* h.pid = h.tid = 0 */
	__u32 group; /* enum ev_group */
	__u32 pad;
	__u64 start_ts;
	__u64 count;
};

/*
 * An xring: one CPU's ring of syscall records without a tail, in its value
 * of an mmapable array map (the recorder sizes it). Only that CPU's syscall
 * programs write it, and they never nest, so a record costs a copy and a
 * store: no lock, no helper call (bpf/xring.bpf.h). The recorder reads it in
 * place and moves cons (record/merge.c). Records carry no header of their
 * own: ev_hdr.size is the length. A record starts at data[prod % size] and
 * may run up to XRING_SLACK bytes past the end: never split.
 */
struct xring_hdr {
	__u64 prod; /* bytes written, the kernel's */
	__u64 pad0[7]; /* (its own cache line) */
	__u64 cons; /* bytes read, the recorder's */
	__u64 pad1[7];
};

#define XRING_SLACK 128 /* the largest record, sizeof(struct ev_syscall), fits */

/* Tail kinds of ev_syscall; a reader ignores a tail of a kind it does not know. */
enum {
	TAIL_NONE = 0,
	TAIL_PATHS = 1, /* one or two NUL-terminated strings */
	TAIL_FDPAIR = 2, /* struct ev_fdpair: the fds pipe/pipe2/socketpair made */
	TAIL_SOCK = 3, /* struct ev_sock: the socket of the call's fd, at exit */
	TAIL_EXEC = 4, /* failed execve/execveat: filename NUL, then argv NUL-separated */
	TAIL_SOCKADDR = 5, /* failed connect/bind: struct ev_sock, then the address argument */
};

/* TAIL_SOCKADDR: address argument bytes kept, sizeof(struct sockaddr_storage) */
#define BPFREC_SOCKADDR_MAX 128

/* ev_syscall h.flags: a path the probes could not read ("" in the tail), not an empty one */
#define EVF_PATH_LOST 1u
#define EVF_PATH2_LOST 2u

/*
 * One completed system call: enter and exit paired in the kernel. Only the
 * nargs arguments the call takes are stored, and the tail follows them, so
 * a getppid costs 48 bytes and a read 72. Readers expand a record to the
 * full struct (args[nargs..5] = 0, tail right after args[5]).
 */
struct ev_syscall {
	struct ev_hdr h; /* h.ts: enter time */
	__u64 exit_ts; /* 0 when the call never returned (exit, exit_group) */
	__s64 ret;
	__s32 nr;
	__u8 nargs; /* arguments stored, 0..6 */
	__u8 tail_kind;
	__u16 tail_len;
	__u64 args[6];
	/* char tail[tail_len], at args[nargs] in a stored record */
};

#define EV_SYSCALL_FIXED 48 /* offsetof(struct ev_syscall, args) */

/* TAIL_FDPAIR: the int[2] the call filled, then the inodes behind them */
struct ev_fdpair {
	__s32 fds[2];
	__u64 ino[2]; /* 0: unknown; a pipe's two ends share one */
};

/*
 * TAIL_SOCK: a socket as the kernel holds it at the call's exit, which
 * also knows what the caller never passed (connect's local address,
 * accept's peer when addr is NULL). Addresses in network order, ports in
 * host order; AF_UNIX: the bound path (own, else the peer's) follows,
 * NUL-terminated, "@name" for an abstract one, absent when unnamed.
 *
 * TAIL_SOCKADDR: a connect or bind that failed (connect's EINPROGRESS is
 * no failure). The kernel's socket may hold nothing of the address the
 * call asked for (a connect refused or unroutable), so the argument is
 * kept as the caller passed it, read at enter like paths: the ev_sock of
 * the socket at exit (all 0 when the fd is no socket; no AF_UNIX path),
 * then at most BPFREC_SOCKADDR_MAX bytes of the struct sockaddr, cut to
 * its addrlen; none when it could not be read.
 */
struct ev_sock {
	__u64 ino; /* the socket's inode: socket:[ino] in /proc/PID/fd */
	__u16 family; /* AF_* */
	__u16 type; /* SOCK_STREAM, SOCK_DGRAM, ... */
	__u16 protocol; /* IPPROTO_* */
	__u16 lport;
	__u16 rport;
	__u16 pad[3];
	__u8 laddr[16]; /* AF_INET: the first 4 bytes */
	__u8 raddr[16];
};

/* sched_process_exec; h.pid/h.tid: the task after exec */
struct ev_exec {
	struct ev_hdr h;
	__u32 old_tid;
	__u16 filename_len; /* incl. NUL */
	__u16 args_len; /* NUL-separated argv, possibly truncated */
	char comm[BPFREC_COMM_LEN];
	/* char tail[]: filename\0 then args */
};

/* sched_process_fork and task_newtask; h: the parent (current) task */
struct ev_fork {
	struct ev_hdr h;
	__u32 child_pid;
	__u32 child_tid;
	__u64 clone_flags; /* task_newtask only; 0 for fork */
	char comm[BPFREC_COMM_LEN];
};

/* sched_process_exit; h: the exiting task */
struct ev_exit {
	struct ev_hdr h;
	__s32 exit_code; /* task->exit_code: status << 8 | signal | 0x80 core */
	__u32 group_dead; /* last thread of the process */
	__u64 start_ts; /* task->start_time, same clock as h.ts */
	char comm[BPFREC_COMM_LEN];
};

/* sched_process_free; h: the freed task (h.ts when it was reaped) */
struct ev_free {
	struct ev_hdr h;
};

/* task_rename; h: the renamed task */
struct ev_rename {
	struct ev_hdr h;
	char oldcomm[BPFREC_COMM_LEN];
	char newcomm[BPFREC_COMM_LEN];
};

/*
 * A generic tracepoint (the tracepoints group): the raw entry as the kernel
 * lays it out for perf, its fixed part then the dynamic data its
 * __data_loc fields point at, described by the META_TP record of its id.
 * The entry's first 8 bytes (common_type, flags, preempt count, pid) are
 * zeroed: in a BPF program they hold a kernel pointer, not the fields.
 */
struct ev_tp {
	struct ev_hdr h;
	__u32 id; /* the tracepoint's kernel id (META_TP) */
	__u16 len; /* bytes of data */
	__u16 pad;
	/* __u8 data[len], then padding to 8 bytes */
};

#define EVF_TP_TRUNC 1u /* ev_tp: the entry was longer than TP_DATA_MAX */
#define TP_DATA_MAX 4096 /* entry bytes copied: records stay far below 64 KiB */
#define TP_LOC_MAX 8 /* __data_loc fields followed per tracepoint */
#define TP_MAX 4096 /* tracepoints attached at once */

/* How a tracepoint's events are filtered (struct tp_attach.mode). */
enum tp_filter {
	TPF_CURRENT = 0, /* by the current task, like every other group */
	TPF_ALL = 1, /* none (but the recorder): fires in other tasks' context */
};

/* Per attachment, indexed by its BPF cookie: what the program copies. */
struct tp_attach {
	__u32 id;
	__u16 fixed_size; /* the entry's fixed part */
	__u8 mode; /* enum tp_filter */
	__u8 nloc;
	__u16 loc_off[TP_LOC_MAX]; /* offsets of __data_loc fields (bit 15: __rel_loc) */
	__u8 nterms; /* terms of its field filter (struct tp_terms), 0: none */
	__u8 pad[7];
};

#define TP_LOC_REL 0x8000u

/*
 * A field filter (record -e 'SYSTEM:EVENT/EXPR/'), compiled by the recorder
 * against the tracepoint's format: a disjunction of conjunctions of terms,
 * each a field of the entry compared with a constant. The program checks
 * it before it reserves ring space, so filtered-out events cost none.
 */
#define TP_TERMS_MAX 8
#define TP_STR_MAX 32 /* bytes of a char[N] field a string term compares */

enum tp_op {
	TPO_EQ, /* integers */
	TPO_NE,
	TPO_LT,
	TPO_LE,
	TPO_GT,
	TPO_GE,
	TPO_AND, /* (field & val) != 0: any of the flags */
	TPO_STR_EQ, /* char[N] fields: the first size bytes equal str */
	TPO_STR_NE,
};

#define TPT_SIGNED 1u /* compare as signed 64-bit (the field sign-extended) */
#define TPT_OR 2u /* starts a new conjunction: the filter is true if one is */

struct tp_term {
	__u64 val; /* integer constant, as 64 bits */
	__u16 off; /* the field's offset in the entry */
	__u8 size; /* integer: 1, 2, 4 or 8 bytes; string: bytes compared, 1..TP_STR_MAX */
	__u8 op; /* enum tp_op */
	__u8 flags; /* TPT_* */
	__u8 pad[3];
	/* string constant, its NUL included when shorter than the field:
	 * "nginx" matches "nginx" but not "nginx-worker" */
	char str[TP_STR_MAX];
};

/* The value of the tp_terms map, indexed by the attachment's BPF cookie. */
struct tp_terms {
	struct tp_term t[TP_TERMS_MAX];
};

/*
 * Per-syscall behaviour, the value of the sys_info map indexed by nr.
 * Filled by the recorder from bpf/syscalls.def (record/syscall_table.c).
 */
#define SF_PATH_A(x) ((x)&7) /* 1 + index of the first path argument, 0: none */
#define SF_PATH_B(x) (((x) >> 3) & 7) /* 1 + index of the second path argument */
#define SF_FDPAIR(x) (((x) >> 6) & 7) /* 1 + index of an int[2] the call fills */
#define SF_FILES (1u << 9) /* follows fds: traced by the files group */
#define SF_NORETURN (1u << 10) /* never reaches sys_exit */
#define SF_NARGS(x) (((x) >> 11) & 7) /* arguments taken, 7: unknown (all 6) */
#define SF_NARGS_SET(n) ((__u32)(n) << 11)
#define SF_EXEC (1u << 14) /* execve/execveat: argv follows the path argument */
#define SF_SOCK(x) (((x) >> 15) & 3) /* TAIL_SOCK of: SF_SOCK_FD args[0], SF_SOCK_RET the new fd */
#define SF_SOCK_FD 1u
#define SF_SOCK_RET 2u
#define SF_ADDR (1u << 17) /* args[1] is a struct sockaddr of args[2] bytes, read at enter */
/* what sys_enter reads from user memory for the exit: paths or an address */
#define SF_ENTER_READ(x) ((x) & (7u | SF_ADDR))
#define SF_MK(a, b, p) ((a) | ((b) << 3) | ((p) << 6))

#define BPFREC_NR_SYSCALLS 1024 /* size of the sys_info map */

#endif /* BPFREC_H */
