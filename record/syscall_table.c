// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which arguments of a syscall are paths, which fill an fd pair, which
 * follow fds (files group). Keyed by name so it holds on any architecture.
 */
#include <stdio.h>
#include <string.h>

#include "bpfrec.h"
#include "syscall_table.h"
#include "tracefs.h"

struct syscall_flags {
	const char *name;
	uint32_t flags;
};

#define P(a) SF_MK(a, 0, 0) /* one path, argument a (1-based) */
#define P2(a, b) SF_MK(a, b, 0)

static const struct syscall_flags table[] = {
	/* fd lifecycle: the files group */
	{ "open", P(1) | SF_FILES },
	{ "openat", P(2) | SF_FILES },
	{ "openat2", P(2) | SF_FILES },
	{ "creat", P(1) | SF_FILES },
	{ "open_by_handle_at", SF_FILES },
	{ "dup", SF_FILES },
	{ "dup2", SF_FILES },
	{ "dup3", SF_FILES },
	{ "fcntl", SF_FILES },
	{ "pipe", SF_MK(0, 0, 1) | SF_FILES },
	{ "pipe2", SF_MK(0, 0, 1) | SF_FILES },
	{ "socketpair", SF_MK(0, 0, 4) | SF_FILES },
	{ "socket", SF_FILES },
	{ "accept", SF_FILES },
	{ "accept4", SF_FILES },
	{ "close", SF_FILES },
	{ "close_range", SF_FILES },
	{ "memfd_create", P(1) | SF_FILES },
	{ "eventfd", SF_FILES },
	{ "eventfd2", SF_FILES },
	{ "epoll_create", SF_FILES },
	{ "epoll_create1", SF_FILES },
	{ "timerfd_create", SF_FILES },
	{ "signalfd", SF_FILES },
	{ "signalfd4", SF_FILES },
	{ "inotify_init", SF_FILES },
	{ "inotify_init1", SF_FILES },
	{ "fanotify_init", SF_FILES },
	{ "pidfd_open", SF_FILES },
	{ "pidfd_getfd", SF_FILES },
	{ "perf_event_open", SF_FILES },
	{ "userfaultfd", SF_FILES },
	/* exec closes O_CLOEXEC fds; the path is also execsnoop's filename */
	{ "execve", P(1) | SF_FILES },
	{ "execveat", P(2) | SF_FILES },
	/* never return to sys_exit */
	{ "exit", SF_NORETURN | SF_FILES },
	{ "exit_group", SF_NORETURN | SF_FILES },
	/* other path-taking calls */
	{ "stat", P(1) },
	{ "lstat", P(1) },
	{ "newfstatat", P(2) },
	{ "statx", P(2) },
	{ "access", P(1) },
	{ "faccessat", P(2) },
	{ "faccessat2", P(2) },
	{ "readlink", P(1) },
	{ "readlinkat", P(2) },
	{ "unlink", P(1) },
	{ "unlinkat", P(2) },
	{ "rename", P2(1, 2) },
	{ "renameat", P2(2, 4) },
	{ "renameat2", P2(2, 4) },
	{ "link", P2(1, 2) },
	{ "linkat", P2(2, 4) },
	{ "symlink", P2(1, 2) },
	{ "symlinkat", P2(1, 3) },
	{ "mkdir", P(1) },
	{ "mkdirat", P(2) },
	{ "rmdir", P(1) },
	/* relative paths resolve against the cwd: the files group follows it */
	{ "chdir", P(1) | SF_FILES },
	{ "fchdir", SF_FILES },
	{ "chmod", P(1) },
	{ "fchmodat", P(2) },
	{ "chown", P(1) },
	{ "lchown", P(1) },
	{ "fchownat", P(2) },
	{ "truncate", P(1) },
	{ "utimensat", P(2) },
	{ "mknod", P(1) },
	{ "mknodat", P(2) },
	{ "statfs", P(1) },
	{ "chroot", P(1) },
	{ "mount", P2(1, 2) },
	{ "umount2", P(1) },
	{ "swapon", P(1) },
	{ "swapoff", P(1) },
	{ "getxattr", P(1) },
	{ "lgetxattr", P(1) },
	{ "setxattr", P(1) },
	{ "lsetxattr", P(1) },
	{ "listxattr", P(1) },
	{ "removexattr", P(1) },
	{ "inotify_add_watch", P(2) },
};

static uint32_t flags_of(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return table[i].flags;
	return 0;
}

/* Fields after __syscall_nr in events/syscalls/sys_enter_NAME/format. */
static int nargs_of(const char *tracefs, const char *name)
{
	char path[256], line[512];
	int n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_%s/format", tracefs, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "__syscall_nr"))
			n = 0;
		else if (n >= 0 && strstr(line, "field:"))
			n++;
	}
	fclose(f);
	return n > 6 ? 6 : n;
}

void syscall_table_build(uint32_t flags[], unsigned int nflags, const char **source)
{
	const char *tracefs = tracefs_dir();

	*source = tracefs ? tracefs : "none (tracefs unavailable): all six arguments kept";
	for (unsigned int i = 0; i < syscall_names_count; i++) {
		const struct syscall_name *s = &syscall_names[i];
		int nargs = tracefs ? nargs_of(tracefs, s->name) : -1;

		if ((unsigned int)s->nr >= nflags)
			continue;
		/* no format (not traceable, e.g. rt_sigreturn): keep all six */
		flags[s->nr] = flags_of(s->name) | SF_NARGS_SET(nargs < 0 ? 7 : nargs);
	}
}
