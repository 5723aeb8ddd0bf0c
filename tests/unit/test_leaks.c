// SPDX-License-Identifier: GPL-2.0-only
/*
 * The leak reports and the path patterns they group by, on a synthetic
 * trace whose fds are all known, checked against golden files:
 *
 *   100 server (snapshot: 0-2, a log and a listening socket), alive at the
 *       end: accepts 3 connections, opens 2 logs and keeps them, opens and
 *       closes a temporary file, closes its old log, dup2s a connection onto
 *       stdout: 5 fds at start, 9 at end, growth 4.
 *   110 steady (snapshot 0-2), alive: opens a file, closes stderr: growth 0.
 *   120 grower (snapshot 0-2), alive: one socket: growth 1.
 *   200, 201 cc (forked by 100, exit): each dup2s an object file onto
 *       stdout and exits holding it and a pipe; 201 also a second object.
 *   130 worker (snapshot 0-2), exits holding a socket it opened.
 *   140 paths (snapshot only): one fd per kind of path the patterns fold.
 *   150 sh, exec'd as `interp ./prog.x`, exits holding fds on prog.x as a
 *       shell holds its script (moved to 10, close-on-exec: left out of
 *       leaks-at-exit), and three that miss one mark of it: prog.x moved
 *       below 10 (5), another file moved to 11, prog.x moved inheritable
 *       to 12.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tracegen.h"

/* x86_64 numbers, but all the analyzer sees is this trace's table */
enum { NR_CLOSE = 3, NR_DUP2 = 33, NR_SOCKET = 41, NR_FCNTL = 72, NR_EXIT_GROUP = 231,
       NR_OPENAT = 257, NR_ACCEPT4 = 288, NR_DUP3 = 292, NR_PIPE2 = 293 };

#define AT_FDCWD_ ((uint64_t)-100)
#define AF_INET_ 2
#define START 1000000000ull
#define MS(n) (START + (uint64_t)(n)*1000000)
#define US 1000

static const struct tg_name names[] = {
	{ NR_CLOSE, "close" },	 { NR_DUP2, "dup2" },	     { NR_SOCKET, "socket" },
	{ NR_EXIT_GROUP, "exit_group" }, { NR_OPENAT, "openat" }, { NR_ACCEPT4, "accept4" },
	{ NR_PIPE2, "pipe2" }, { NR_FCNTL, "fcntl" }, { NR_DUP3, "dup3" },
};

#define F_DUPFD_CLOEXEC_ 1030
#define O_CLOEXEC_ 02000000

/* A snapshot process with fds 0-2 on the terminal */
static void proc_stdio(struct bf_writer *w, uint32_t pid, const char *comm)
{
	int32_t fd;

	tg_proc(w, pid, 1, MS(-500), comm, "/usr/bin/x", comm, "/home/u");
	for (fd = 0; fd <= 2; fd++)
		tg_fd(w, pid, fd, 2 /* O_RDWR */, "/dev/pts/0");
}

static void sys(struct bf_writer *w, uint64_t ts, uint32_t pid, int32_t nr, int64_t ret,
		uint64_t a0, uint64_t a1, const char *path)
{
	tg_syscall(w, ts, 2 * US, pid, pid, nr, ret, a0, a1, 0, path);
}

static void server(struct bf_writer *w)
{
	int i;

	for (i = 0; i < 3; i++)
		sys(w, MS(10 + i), 100, NR_ACCEPT4, 5 + i, 4, 0, NULL);
	sys(w, MS(13), 100, NR_OPENAT, 8, AT_FDCWD_, 0, "/var/log/app-1.log");
	sys(w, MS(14), 100, NR_OPENAT, 9, AT_FDCWD_, 0, "/var/log/app-2.log");
	sys(w, MS(15), 100, NR_OPENAT, 10, AT_FDCWD_, 0, "/tmp/x.tmp");
	sys(w, MS(16), 100, NR_CLOSE, 0, 10, 0, NULL);
	sys(w, MS(17), 100, NR_CLOSE, 0, 3, 0, NULL);
	sys(w, MS(18), 100, NR_DUP2, 1, 5, 1, NULL);
}

/* a compiler child of the server: stdout to an object file, a pipe */
static void cc(struct bf_writer *w, uint32_t pid, int t, int objects)
{
	int i;

	tg_fork(w, MS(t), 100, pid, "cc", 0);
	for (i = 0; i < objects; i++)
		sys(w, MS(t + 1) + i * US * 10, pid, NR_OPENAT, 11 + i, AT_FDCWD_, 0,
		    i ? "/tmp/cc-b.o" : "/tmp/cc-a.o");
	sys(w, MS(t + 2), pid, NR_DUP2, 1, 11, 1, NULL);
	tg_syscall_pair(w, MS(t + 3), pid, NR_PIPE2, 0, 20, 21);
	sys(w, MS(t + 4), pid, NR_EXIT_GROUP, 0, 0, 0, NULL);
	tg_exit(w, MS(t + 5), pid, pid, 0, MS(t), "cc");
}

/* PATH opened on fd 3, moved to fd TO by NR (A1, A2 its arguments after the fd), closed */
static void moved(struct bf_writer *w, uint64_t ts, const char *path, int32_t nr, int32_t to,
		  uint64_t a1, uint64_t a2)
{
	sys(w, ts, 150, NR_OPENAT, 3, AT_FDCWD_, 0, path);
	tg_syscall(w, ts + 10 * US, 2 * US, 150, 150, nr, to, 3, a1, a2, NULL);
	sys(w, ts + 20 * US, 150, NR_CLOSE, 0, 3, 0, NULL);
}

/* an interpreter reading its program as a shell reads its script */
static void interp(struct bf_writer *w)
{
	proc_stdio(w, 150, "sh");
	tg_exec(w, MS(53), 150, "/usr/bin/interp", "interp\0./prog.x", 16, "interp");
	moved(w, MS(54), "./prog.x", NR_FCNTL, 10, F_DUPFD_CLOEXEC_, 10);
	moved(w, MS(55), "./prog.x", NR_DUP3, 5, 5, O_CLOEXEC_);
	moved(w, MS(56), "/tmp/data.y", NR_FCNTL, 11, F_DUPFD_CLOEXEC_, 10);
	moved(w, MS(57), "./prog.x", NR_DUP2, 12, 12, 0);
	sys(w, MS(58), 150, NR_EXIT_GROUP, 0, 0, 0, NULL);
	tg_exit(w, MS(59), 150, 150, 0, MS(-500), "interp");
}

static void write_trace(const char *path)
{
	struct bf_writer *w = tg_open(path, 3);
	static const char *const paths[] = {
		"/var/log/app-2024.log", "/tmp/x.tar.gz",	   "/home/u/.bashrc",
		"/tmp/core.12345",	 "/proc/1234/stat",	   "/",
		"/dev/null (deleted)",	 "pipe:[4101]",		   "socket:[99]",
		"anon_inode:[eventfd]",	 "tcp 127.0.0.1:40000->127.0.0.1:5555",
		"socket:inet",		 "x1y22z333",
	};
	size_t i;

	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	TG_SYSCALL_NAMES(w, names);
	proc_stdio(w, 100, "server");
	tg_fd(w, 100, 3, 1 /* O_WRONLY */, "/var/log/server.log");
	tg_fd(w, 100, 4, 2, "socket:[1234]");
	proc_stdio(w, 110, "steady");
	proc_stdio(w, 120, "grower");
	proc_stdio(w, 130, "worker");
	tg_proc(w, 140, 1, MS(-500), "paths", "/usr/bin/x", "paths", "/home/u");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		tg_fd(w, 140, (int32_t)i, 0, paths[i]);

	server(w);
	sys(w, MS(20), 110, NR_OPENAT, 3, AT_FDCWD_, 0, "/etc/a.conf");
	sys(w, MS(21), 110, NR_CLOSE, 0, 2, 0, NULL);
	sys(w, MS(22), 120, NR_SOCKET, 3, AF_INET_, 2, NULL);
	cc(w, 200, 30, 1);
	cc(w, 201, 40, 2);
	sys(w, MS(50), 130, NR_SOCKET, 3, AF_INET_, 1, NULL);
	sys(w, MS(51), 130, NR_EXIT_GROUP, 0, 0, 0, NULL);
	tg_exit(w, MS(52), 130, 130, 0, MS(-500), "worker");
	interp(w);

	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "60000000");
	tg_close(w);
}

int main(void)
{
	struct im_stats st;
	sqlite3 *db;
	char *got;

	db = tg_import(write_trace, &st);
	CHECK(st.processes == 8);
	CHECK_GOLDEN_REPORT(db, "leaks", "golden/leaks.txt");
	CHECK_GOLDEN_REPORT(db, "leaks-at-exit", "golden/leaks-at-exit.txt");
	got = tg_query(db, "SELECT f.path, p.pattern FROM fds f JOIN fd_patterns p USING (id)"
			   " WHERE f.pid = 140 ORDER BY f.fd");
	CHECK_STR(got, "/var/log/app-2024.log|/var/log/*.log\n"
		       "/tmp/x.tar.gz|/tmp/*.gz\n"
		       "/home/u/.bashrc|/home/u/*\n"
		       "/tmp/core.12345|/tmp/*\n"
		       "/proc/1234/stat|/proc/1234/*\n"
		       "/|/*\n"
		       "/dev/null (deleted)|/dev/*\n"
		       "pipe:[4101]|pipe:[*]\n"
		       "socket:[99]|socket:[*]\n"
		       "anon_inode:[eventfd]|anon_inode:[eventfd]\n"
		       "tcp 127.0.0.1:40000->127.0.0.1:5555|tcp *\n"
		       "socket:inet|socket:inet\n"
		       "x1y22z333|x*y*z*");
	free(got);
	/* all five of 150's fds on prog.x and data.y were open at exit */
	got = tg_query(db, "SELECT fd, path, how, cloexec FROM fds WHERE pid = 150"
			   " AND closed_how = 'exit' AND fd > 2 ORDER BY fd");
	CHECK_STR(got, "5|/home/u/prog.x|dup3|1\n"
		       "10|/home/u/prog.x|fcntl|1\n"
		       "11|/tmp/data.y|fcntl|1\n"
		       "12|/home/u/prog.x|dup2|0");
	free(got);
	sqlite3_close(db);
	printf("leaks: ok\n");
	return 0;
}
