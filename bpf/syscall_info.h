/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Syscall behaviour for user space, expanded from bpf/syscalls.def: the
 * recorder derives its SF_* flags from it, the analyzer its fd tracking
 * and the syscall_classes rows. Look-ups are by name.
 */
#ifndef BPFREC_SYSCALL_INFO_H
#define BPFREC_SYSCALL_INFO_H

#include <stdint.h>

/*
 * Close-on-exec flags of the generic Linux ABI (x86, arm64, riscv...).
 * They are the recording host's, so the analyzing host's headers must
 * not be used.
 */
#define SYSC_CLOEXEC_O 0x80000u /* O_, also SOCK_, EFD_, TFD_, IN_, EPOLL_CLOEXEC */
#define SYSC_CLOEXEC_MFD 0x1u
#define SYSC_CLOEXEC_FAN 0x1u
#define SYSC_CLOEXEC_PERF 0x8u /* PERF_FLAG_FD_CLOEXEC */
#define SYSC_CLOEXEC_NA 0u

#define SYSC_NA (-1) /* no such argument */
#define SYSC_ALWAYS (-2) /* cloexec_arg: the fd is always close-on-exec */

/* What a call does to the fd table; see bpf/syscalls.def. */
enum sysc_op {
	SC_OP_NONE,
	SC_OP_USE,
	SC_OP_OPEN,
	SC_OP_NEWFD,
	SC_OP_SOCKET,
	SC_OP_DUP,
	SC_OP_DUP2,
	SC_OP_FCNTL,
	SC_OP_CLOSE,
	SC_OP_CLOSE_RANGE,
	SC_OP_PAIR,
	SC_OP_SIGNALFD,
	SC_OP_CHDIR,
	SC_OP_FCHDIR,
	SC_OP_EXEC,
	SC_OP_EXIT,
};

/* What a call does with the data behind its fd. */
enum sysc_io {
	SC_IO_NONE,
	SC_IO_READ,
	SC_IO_WRITE,
	SC_IO_PIPE, /* WRITE on a pipe's write end, READ on its read end */
};

/* What the return value is; see bpf/syscalls.def. */
enum sysc_ret {
	SC_RET_ERRNO, /* -4095..-1: -errno */
	SC_RET_ADDR, /* an address, or -errno in -4095..-1 */
	SC_RET_VALUE, /* never an error code */
};

/* The address argument of a socket call (the sk column's RADDR, LADDR). */
enum sysc_sockaddr {
	SC_SA_NONE,
	SC_SA_REMOTE, /* connect: the peer asked for */
	SC_SA_LOCAL, /* bind: the local address asked for */
};

/* One line of bpf/syscalls.def; arguments count from 0, SYSC_NA: none. */
struct sysc_info {
	const char *name;
	uint8_t op; /* enum sysc_op */
	uint8_t io; /* enum sysc_io */
	uint8_t io2; /* enum sysc_io, for fd2_arg */
	uint8_t ret; /* enum sysc_ret */
	int8_t fd_arg;
	int8_t fd2_arg; /* a second fd whose data the call moves */
	int8_t dir_arg;
	int8_t path_arg, path2_arg;
	int8_t pair_arg;
	int8_t cloexec_arg; /* or SYSC_ALWAYS */
	uint32_t cloexec_mask;
	const char *kind;
	uint8_t sock; /* SF_SOCK_FD, SF_SOCK_RET or 0: the sk column */
	uint8_t sockaddr; /* enum sysc_sockaddr: arguments 1, 2 are an address asked for */
};

extern const struct sysc_info sysc_table[];
extern const unsigned int sysc_count;

/* The line for syscall NAME, or NULL when bpfrec knows nothing of it. */
const struct sysc_info *sysc_find(const char *name);

/* Does the call create, copy, close or name fds, change the cwd, exec or exit? */
int sysc_files(const struct sysc_info *s);

/* The call's SF_* flags (bpf/bpfrec.h), argument count aside. */
uint32_t sysc_flags(const struct sysc_info *s);

/* Is RET, returned by a call of S (NULL: unknown to bpfrec), an error? */
int sysc_is_error(const struct sysc_info *s, int64_t ret);

/* Its syscall_classes class: "open", "read", "write", "exec" or NULL. */
const char *sysc_class(const struct sysc_info *s);

#endif /* BPFREC_SYSCALL_INFO_H */
