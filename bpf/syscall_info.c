// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* bpf/syscalls.def expanded into a table, and what is derived from a line. */
#include <string.h>

#include "bpfrec.h"
#include "syscall_info.h"

/* Argument columns take NA, 0..5 or ALWAYS: anything else fails to build. */
#define SYSC_ARG_NA SYSC_NA
#define SYSC_ARG_ALWAYS SYSC_ALWAYS
#define SYSC_ARG_0 0
#define SYSC_ARG_1 1
#define SYSC_ARG_2 2
#define SYSC_ARG_3 3
#define SYSC_ARG_4 4
#define SYSC_ARG_5 5

/* the sk column: the socket read at exit, and whether an address argument is */
#define SYSC_SK_NA 0
#define SYSC_SK_FD SF_SOCK_FD
#define SYSC_SK_RET SF_SOCK_RET
#define SYSC_SK_RADDR SF_SOCK_FD
#define SYSC_SK_LADDR SF_SOCK_FD
#define SYSC_ADDR_NA SC_SA_NONE
#define SYSC_ADDR_FD SC_SA_NONE
#define SYSC_ADDR_RET SC_SA_NONE
#define SYSC_ADDR_RADDR SC_SA_REMOTE
#define SYSC_ADDR_LADDR SC_SA_LOCAL

#define SC(name_, op_, fd, dir, path, path2, pair, cx, mask, io_, fd2, io2_, ret_, kind_, sk_) \
	{ .name = #name_, .op = SC_OP_##op_, .io = SC_IO_##io_, .fd_arg = SYSC_ARG_##fd,     \
	  .fd2_arg = SYSC_ARG_##fd2, .io2 = SC_IO_##io2_, .ret = SC_RET_##ret_,              \
	  .dir_arg = SYSC_ARG_##dir, .path_arg = SYSC_ARG_##path,                           \
	  .path2_arg = SYSC_ARG_##path2, .pair_arg = SYSC_ARG_##pair,                       \
	  .cloexec_arg = SYSC_ARG_##cx, .cloexec_mask = SYSC_CLOEXEC_##mask, .kind = kind_, \
	  .sock = SYSC_SK_##sk_, .sockaddr = SYSC_ADDR_##sk_ },

const struct sysc_info sysc_table[] = {
#include "syscalls.def"
};
#undef SC

const unsigned int sysc_count = sizeof(sysc_table) / sizeof(sysc_table[0]);

const struct sysc_info *sysc_find(const char *name)
{
	for (unsigned int i = 0; i < sysc_count; i++)
		if (!strcmp(sysc_table[i].name, name))
			return &sysc_table[i];
	return NULL;
}

int sysc_files(const struct sysc_info *s)
{
	/* and bind, connect, listen: they name the socket its fd follows */
	return (s->op != SC_OP_NONE && s->op != SC_OP_USE) || s->sock;
}

uint32_t sysc_flags(const struct sysc_info *s)
{
	/* SF_* count arguments from 1, 0 meaning none: SYSC_NA + 1 */
	uint32_t f = SF_MK(s->path_arg + 1, s->path2_arg + 1, s->pair_arg + 1);

	if (sysc_files(s))
		f |= SF_FILES;
	if (s->op == SC_OP_EXIT)
		f |= SF_NORETURN;
	if (s->op == SC_OP_EXEC)
		f |= SF_EXEC;
	if (s->sockaddr)
		f |= SF_ADDR;
	return f | (uint32_t)s->sock << 15;
}

int sysc_is_error(const struct sysc_info *s, int64_t ret)
{
	if (s && s->ret == SC_RET_VALUE)
		return 0;
	/* ERRNO and ADDR alike: no address is in the last page (syscalls.def) */
	return ret < 0 && ret > -4096;
}

const char *sysc_class(const struct sysc_info *s)
{
	uint8_t io = s->io != SC_IO_NONE ? s->io : s->io2;

	/* an open without a path (open_by_handle_at) is not what opensnoop shows */
	if (s->op == SC_OP_OPEN && s->path_arg != SYSC_NA)
		return "open";
	if (s->op == SC_OP_EXEC)
		return "exec";
	if (io == SC_IO_READ)
		return "read";
	if (io == SC_IO_WRITE)
		return "write";
	return NULL;
}
