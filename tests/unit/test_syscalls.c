// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpf/syscalls.def and what is made of it agree: the recorder's sys_info
 * flags, the analyzer's fd tracking and the syscall_classes rows. The
 * checks are the invariants that the three hand-written tables it replaced
 * broke: io_uring_setup made an fd outside the files group, and
 * open_by_handle_at was in the files group without an fd rule; and those
 * of the two-fd calls (one fd read, the other written) and of the return
 * kinds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_info.h"
#include "syscall_table.h"
#include "tracegen.h"

/* Every syscall name of any architecture (gen_known_syscalls.py). */
extern const char *const known_syscalls[];
extern const unsigned int known_syscalls_count;

#define SF_ALL_BUT_NARGS (~SF_NARGS_SET(7)) /* every flag but the argument count */

/* CHECK, naming the syscall whose line fails it. */
#define CHECK_SC(s, cond)                                                                  \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "syscall %s:\n", (s)->name);                        \
			tg_fail(__FILE__, __LINE__, #cond);                                \
		}                                                                          \
	} while (0)

static int known(const char *name)
{
	for (unsigned int i = 0; i < known_syscalls_count; i++)
		if (!strcmp(known_syscalls[i], name))
			return 1;
	return 0;
}

static int nr_of(const char *name)
{
	for (unsigned int i = 0; i < syscall_names_count; i++)
		if (!strcmp(syscall_names[i].name, name))
			return syscall_names[i].nr;
	return -1;
}

static int is_arg(int a)
{
	return a == SYSC_NA || (a >= 0 && a <= 5);
}

/* The files group's definition, written out: ops that change fds or the cwd,
 * and calls that name a socket (bind, connect, listen). */
static int changes_fds(const struct sysc_info *s)
{
	if (!strcmp(s->name, "bind") || !strcmp(s->name, "connect") || !strcmp(s->name, "listen"))
		return 1;
	switch (s->op) {
	case SC_OP_OPEN:
	case SC_OP_NEWFD:
	case SC_OP_SOCKET:
	case SC_OP_PAIR:
	case SC_OP_SIGNALFD:
	case SC_OP_DUP:
	case SC_OP_DUP2:
	case SC_OP_FCNTL:
	case SC_OP_CLOSE:
	case SC_OP_CLOSE_RANGE:
	case SC_OP_CHDIR:
	case SC_OP_FCHDIR:
	case SC_OP_EXEC:
	case SC_OP_EXIT:
		return 1;
	}
	return 0;
}

/* Each line of the table is well formed for the op it names. */
static void check_lines(void)
{
	for (unsigned int i = 0; i < sysc_count; i++) {
		const struct sysc_info *s = &sysc_table[i];
		int needs_kind = s->op == SC_OP_NEWFD || s->op == SC_OP_SIGNALFD ||
				 s->op == SC_OP_PAIR;

		CHECK_SC(s, known(s->name));
		CHECK_SC(s, sysc_find(s->name) == s); /* one line per name */
		CHECK_SC(s, is_arg(s->fd_arg) && is_arg(s->dir_arg) && is_arg(s->path_arg));
		CHECK_SC(s, is_arg(s->path2_arg) && is_arg(s->pair_arg));
		CHECK_SC(s, is_arg(s->cloexec_arg) || s->cloexec_arg == SYSC_ALWAYS);
		CHECK_SC(s, (s->cloexec_mask != 0) == (s->cloexec_arg >= 0));
		CHECK_SC(s, s->path2_arg == SYSC_NA || s->path_arg != SYSC_NA);
		CHECK_SC(s, s->path2_arg == SYSC_NA || s->path2_arg != s->path_arg);
		CHECK_SC(s, s->dir_arg == SYSC_NA || s->path_arg != SYSC_NA);
		CHECK_SC(s, (s->kind != NULL) == needs_kind);
		CHECK_SC(s, (s->pair_arg != SYSC_NA) == (s->op == SC_OP_PAIR));
		/* fdtrack reads these ops' fd from the first argument */
		if (s->op == SC_OP_DUP || s->op == SC_OP_DUP2 || s->op == SC_OP_FCNTL ||
		    s->op == SC_OP_CLOSE || s->op == SC_OP_FCHDIR || s->op == SC_OP_SIGNALFD)
			CHECK_SC(s, s->fd_arg == 0);
		if (s->op == SC_OP_USE)
			CHECK_SC(s, s->fd_arg != SYSC_NA);
		if (s->op == SC_OP_CHDIR)
			CHECK_SC(s, s->path_arg != SYSC_NA);
		/* a line without fd behaviour exists for its paths or its return */
		if (s->op == SC_OP_NONE)
			CHECK_SC(s, s->fd_arg == SYSC_NA &&
					    (s->path_arg != SYSC_NA || s->ret != SC_RET_ERRNO));
		/* the fds I/O columns count calls through an fd */
		if (s->io != SC_IO_NONE)
			CHECK_SC(s, s->op == SC_OP_USE && s->fd_arg != SYSC_NA);
		/* a second fd moves data from or to the first: one read, one write */
		CHECK_SC(s, is_arg(s->fd2_arg) && s->io2 <= SC_IO_WRITE);
		CHECK_SC(s, (s->fd2_arg != SYSC_NA) == (s->io2 != SC_IO_NONE));
		if (s->fd2_arg != SYSC_NA)
			CHECK_SC(s, s->fd2_arg != s->fd_arg && s->io != SC_IO_PIPE &&
					    s->io != SC_IO_NONE && s->io != s->io2);
		/* a return that is no error code is of calls that make no fd */
		CHECK_SC(s, s->ret <= SC_RET_VALUE);
		if (s->ret != SC_RET_ERRNO)
			CHECK_SC(s, s->op == SC_OP_NONE || s->op == SC_OP_USE);
	}
}

/* The recorder's sys_info map: files group, paths, fd pairs, noreturn. */
static void check_record_flags(void)
{
	static uint32_t flags[BPFREC_NR_SYSCALLS];
	unsigned int in_table = 0, files = 0;
	const char *source;

	syscall_table_build(flags, BPFREC_NR_SYSCALLS, true, &source);
	for (unsigned int i = 0; i < syscall_names_count; i++) {
		const struct syscall_name *n = &syscall_names[i];
		const struct sysc_info *s = sysc_find(n->name);
		uint32_t f;

		if (n->nr < 0 || n->nr >= BPFREC_NR_SYSCALLS)
			continue;
		f = flags[n->nr] & SF_ALL_BUT_NARGS;
		if (!s) {
			CHECK(f == 0);
			continue;
		}
		in_table++;
		files += !!(f & SF_FILES);
		CHECK_SC(s, !!(f & SF_FILES) == changes_fds(s));
		CHECK_SC(s, !!(f & SF_NORETURN) == (s->op == SC_OP_EXIT));
		CHECK_SC(s, SF_PATH_A(f) == (uint32_t)(s->path_arg + 1));
		CHECK_SC(s, SF_PATH_B(f) == (uint32_t)(s->path2_arg + 1));
		CHECK_SC(s, SF_FDPAIR(f) == (uint32_t)(s->pair_arg + 1));
		/* what fdtrack replays from the record must be recorded */
		if (s->op == SC_OP_CHDIR || (s->op == SC_OP_OPEN && s->path_arg != SYSC_NA))
			CHECK_SC(s, SF_PATH_A(f));
		if (s->op == SC_OP_PAIR)
			CHECK_SC(s, SF_FDPAIR(f));
		/* fdtrack names sockets from their TAIL_SOCK: every socket call has one */
		if (s->op == SC_OP_SOCKET || (s->op == SC_OP_NEWFD && !strncmp(s->kind, "socket", 6)))
			CHECK_SC(s, SF_SOCK(f) == SF_SOCK_RET);
		CHECK_SC(s, !!(f & SF_EXEC) == (s->op == SC_OP_EXEC));
		/* an address argument (connect, bind) is read at enter for the
		 * exit of the fd's socket call: never with paths, whose storage it shares */
		CHECK_SC(s, !!(f & SF_ADDR) == (s->sockaddr != SC_SA_NONE));
		if (f & SF_ADDR)
			CHECK_SC(s, SF_SOCK(f) == SF_SOCK_FD && !SF_PATH_A(f));
	}
	printf("%u of this architecture's %u syscalls described, %u in the files group\n",
	       in_table, syscall_names_count, files);
	/* the two drifts, by name on any architecture that has the call */
	if (nr_of("io_uring_setup") >= 0)
		CHECK(flags[nr_of("io_uring_setup")] & SF_FILES);
	if (nr_of("open_by_handle_at") >= 0)
		CHECK(flags[nr_of("open_by_handle_at")] & SF_FILES);
}

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);
	int obh = nr_of("open_by_handle_at"), uring = nr_of("io_uring_setup");
	int nr_close = nr_of("close"), nr_read = nr_of("read");

	CHECK(obh >= 0 && uring >= 0 && nr_close >= 0 && nr_read >= 0);
	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	for (unsigned int i = 0; i < syscall_names_count; i++)
		tg_syscall_name(w, syscall_names[i].nr, syscall_names[i].name);
	tg_proc(w, 100, 1, 1000000000, "srv", "/bin/srv", "srv", "/");
	tg_fd(w, 100, 3, 0, "/mnt");
	/* io_uring_setup(8, params) = 5, open_by_handle_at(3, h, O_CLOEXEC | 0) = 6, 7 */
	tg_syscall(w, 1001000000, 1000, 100, 100, uring, 5, 8, 0x7000, 0, NULL);
	tg_syscall(w, 1002000000, 1000, 100, 100, obh, 6, 3, 0x7100, SYSC_CLOEXEC_O, NULL);
	tg_syscall(w, 1003000000, 1000, 100, 100, obh, 7, 3, 0x7100, 0, NULL);
	tg_syscall(w, 1004000000, 1000, 100, 100, nr_read, 10, 7, 0x7200, 10, NULL);
	tg_syscall(w, 1005000000, 1000, 100, 100, nr_close, 0, 6, 0, 0, NULL);
	tg_close(w);
}

/* The analyzer: syscall_classes rows and the fd rules of the two drifts. */
static void check_analyzer(void)
{
	sqlite3 *db = tg_import(write_trace, NULL);
	unsigned int classed = 0;
	char sql[256], *got;

	/* the rows the schema held before they came from syscalls.def */
	got = tg_query(db, "SELECT class, group_concat(name, ' ') FROM"
			   " (SELECT * FROM syscall_classes ORDER BY class, name) GROUP BY class");
	CHECK_STR(got, "exec|execve execveat\n"
		       "open|creat open openat openat2\n"
		       "read|copy_file_range pread64 preadv preadv2 read readv recv recvfrom"
		       " recvmsg splice tee\n"
		       "write|pwrite64 pwritev pwritev2 send sendfile sendmsg sendto write"
		       " writev");
	free(got);
	for (unsigned int i = 0; i < sysc_count; i++) {
		const char *class = sysc_class(&sysc_table[i]);

		snprintf(sql, sizeof(sql), "SELECT class FROM syscall_classes WHERE name = '%s'",
			 sysc_table[i].name);
		got = tg_query(db, sql);
		CHECK_STR(got, class ? class : "");
		free(got);
		classed += class != NULL;
	}
	got = tg_query(db, "SELECT count(*) FROM syscall_classes");
	snprintf(sql, sizeof(sql), "%u", classed);
	CHECK_STR(got, sql);
	free(got);
	got = tg_query(db, "SELECT fd, coalesce(path, '?'), how, cloexec, coalesce(closed_how, '-'),"
			   " reads, bytes_read FROM fds ORDER BY id");
	CHECK_STR(got, "3|/mnt|snapshot|0|-|0|0\n"
		       "5|anon:io_uring|io_uring_setup|1|-|0|0\n"
		       "6|?|open_by_handle_at|1|close|0|0\n"
		       "7|?|open_by_handle_at|0|-|1|10");
	free(got);
	sqlite3_close(db);
}

int main(void)
{
	check_lines();
	check_record_flags();
	check_analyzer();
	printf("ok\n");
	return 0;
}
