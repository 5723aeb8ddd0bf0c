// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "metadata.h"
#include "records.h"
#include "snap_sock.h"
#include "syscall_table.h"

#define KV(key, val)                                                   \
	do {                                                           \
		int err_ = rec_emit_kv(w, BF_BLK_META, key, val);      \
		if (err_)                                              \
			return err_;                                   \
	} while (0)

/* Wall clock minus monotonic clock, sampled tightly: wall = ts + offset. */
static int64_t realtime_offset(void)
{
	int64_t best = 0, best_gap = INT64_MAX;

	for (int i = 0; i < 5; i++) {
		struct timespec a, r, b;
		int64_t ma, mb, rt;

		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_REALTIME, &r);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ma = a.tv_sec * 1000000000ll + a.tv_nsec;
		mb = b.tv_sec * 1000000000ll + b.tv_nsec;
		rt = r.tv_sec * 1000000000ll + r.tv_nsec;
		if (mb - ma < best_gap) {
			best_gap = mb - ma;
			best = rt - (ma + mb) / 2;
		}
	}
	return best;
}

/* ARG, single-quoted if a shell would split or expand it. */
static void put_quoted(FILE *f, const char *arg)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				    "0123456789_@%+=:,./-";

	if (*arg && strspn(arg, plain) == strlen(arg)) {
		fputs(arg, f);
		return;
	}
	fputc('\'', f);
	for (; *arg; arg++)
		if (*arg == '\'')
			fputs("'\\''", f);
		else
			fputc(*arg, f);
	fputc('\'', f);
}

/*
 * ARGV as a line that pastes into a shell, truncated to CAP - 1 bytes.
 * With NO_ARGS the command's arguments are left out (its name stays, like
 * the exec filename).
 */
static void join_args(char *dst, size_t cap, int argc, char **argv, char **command,
		      bool no_args)
{
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);

	dst[0] = 0;
	if (!f)
		return;
	for (int i = 0; i < argc; i++) {
		if (no_args && command && argv + i > command)
			break;
		if (i)
			fputc(' ', f);
		put_quoted(f, argv[i]);
	}
	fclose(f);
	snprintf(dst, cap, "%s", line ? line : "");
	free(line);
}

int meta_write_host(struct bf_writer *w, const struct rec_opts *o, int argc,
		    char **argv)
{
	char buf[4096], groups[64] = "";
	struct utsname u;

	uname(&u);
	KV(BF_KEY_HOSTNAME, u.nodename);
	KV(BF_KEY_KERNEL, u.release);
	KV(BF_KEY_KERNEL_VERSION, u.version);
	KV(BF_KEY_MACHINE, u.machine);
	snprintf(buf, sizeof(buf), "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	KV(BF_KEY_NCPUS, buf);
	join_args(buf, sizeof(buf), argc, argv, o->command, o->no_args);
	KV(BF_KEY_CMDLINE, buf);
	snprintf(buf, sizeof(buf), "%" PRId64, realtime_offset());
	KV(BF_KEY_REALTIME_OFFSET, buf);
	snprintf(buf, sizeof(buf), "%" PRIu64, mono_ns());
	KV(BF_KEY_START_TS, buf);
	snprintf(buf, sizeof(buf), "%d", getpid());
	KV(BF_KEY_RECORDER_PID, buf);

	if (o->command)
		snprintf(buf, sizeof(buf), "command");
	else if (o->pid)
		snprintf(buf, sizeof(buf), "pid:%d", o->pid);
	else
		snprintf(buf, sizeof(buf), "all");
	if (o->comm)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " comm:%s", o->comm);
	KV(BF_KEY_TARGET, buf);
	for (int g = 0; g < GRP_MAX; g++)
		if (o->groups & (1u << g))
			snprintf(groups + strlen(groups), sizeof(groups) - strlen(groups),
				 "%s%s", groups[0] ? "," : "", bf_group_names[g]);
	KV(BF_KEY_GROUPS, groups);
	KV(BF_KEY_ARGUMENTS, o->no_args ? "dropped" : "recorded");
	return 0;
}

int meta_write_syscalls(struct bf_writer *w, const uint32_t *sys_flags,
			const char *nargs_source)
{
	struct meta_syscall m = { .h.type = META_SYSCALL };

	KV(BF_KEY_NARGS_SOURCE, nargs_source);
	for (unsigned int i = 0; i < syscall_names_count; i++) {
		const char *name = syscall_names[i].name;
		int err;

		m.nr = syscall_names[i].nr;
		m.nargs = (unsigned int)m.nr < BPFREC_NR_SYSCALLS ?
				  SF_NARGS(sys_flags[m.nr]) : 7;
		err = rec_emit(w, BF_BLK_META, &m, sizeof(m), &name, 1);
		if (err)
			return err;
	}
	return 0;
}

/* Read a small /proc file; returns bytes read (NUL-terminated) or -1. */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return n;
}

/* ppid and start time (CLOCK_BOOTTIME ns) from /proc/PID/stat. */
static int parse_stat(const char *stat, uint32_t *ppid, uint64_t *start_ns)
{
	const char *p = strrchr(stat, ')'); /* comm may hold spaces and ')' */
	unsigned long long start;
	int pp;

	/* fields after comm: state ppid ... starttime is field 22 */
	if (!p || sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
				"%*d %*d %*d %*d %*d %*d %llu", &pp, &start) != 2)
		return -1;
	*ppid = pp;
	*start_ns = start * (1000000000ull / sysconf(_SC_CLK_TCK));
	return 0;
}

/* The fd of the open /proc directory, which the snapshot must not list. */
static int proc_dir_fd = -1;

/* Which fds of a process the snapshot lists. */
enum snap_fds {
	SNAP_FDS_ALL,
	SNAP_FDS_INHERITED, /* those that survive an exec: no O_CLOEXEC */
	SNAP_FDS_NONE,
};

static int snapshot_fds(struct bf_writer *w, int pid, enum snap_fds which)
{
	struct meta_fd m = { .h.type = META_FD, .h.pid = pid, .h.tid = pid };
	char dir[64], path[PATH_MAX + 64], target[PATH_MAX], info[512], sock[320];
	struct dirent *de;
	DIR *d;
	int err = 0;

	if (which == SNAP_FDS_NONE)
		return 0;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	if (!d)
		return 0; /* gone, or a kernel thread: nothing to say */
	while (!err && (de = readdir(d))) {
		const char *t = target, *f;
		ssize_t n;

		if (!isdigit(de->d_name[0]))
			continue;
		m.fd = atoi(de->d_name);
		/* our own directory handles exist only while we look */
		if (pid == getpid() && (m.fd == dirfd(d) || m.fd == proc_dir_fd))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = 0;
		t = snap_sock_name(pid, target, sock, sizeof(sock));
		m.flags = 0;
		m.pos = 0;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, de->d_name);
		if (read_small(path, info, sizeof(info)) > 0) {
			if ((f = strstr(info, "pos:")))
				m.pos = strtoull(f + 4, NULL, 10);
			if ((f = strstr(info, "flags:")))
				m.flags = strtoul(f + 6, NULL, 8);
		}
		if (which == SNAP_FDS_INHERITED && (m.flags & O_CLOEXEC))
			continue;
		err = rec_emit(w, BF_BLK_META, &m, sizeof(m), &t, 1);
	}
	closedir(d);
	return err;
}

/* Threads other than the leader, so their names and start times are known. */
static int snapshot_threads(struct bf_writer *w, int pid)
{
	struct meta_thread m = { .h = { .type = META_THREAD, .size = sizeof(m), .pid = pid } };
	char path[96], buf[1024];
	struct dirent *de;
	uint64_t start;
	uint32_t ppid;
	int err = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (!err && (de = readdir(d))) {
		char *nl;

		if (!isdigit(de->d_name[0]) || atoi(de->d_name) == pid)
			continue;
		m.h.tid = atoi(de->d_name);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, m.h.tid);
		if (read_small(path, buf, sizeof(buf)) < 0 || parse_stat(buf, &ppid, &start))
			continue; /* exited meanwhile */
		m.h.ts = start;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, m.h.tid);
		if (read_small(path, buf, sizeof(buf)) < 0)
			buf[0] = 0;
		if ((nl = strchr(buf, '\n')))
			*nl = 0;
		snprintf(m.comm, sizeof(m.comm), "%.15s", buf);
		err = bf_writer_append(w, BF_BLK_META, &m);
	}
	closedir(d);
	return err;
}

/* PID with its threads and fds (WHICH of them); NO_ARGS: no cmdline. */
static int snapshot_proc(struct bf_writer *w, int pid, enum snap_fds which, bool no_args)
{
	struct meta_proc m = { .h.type = META_PROC, .h.pid = pid, .h.tid = pid };
	char path[64], stat_buf[1024], comm[64], exe[PATH_MAX], cmd[4096], cwd[PATH_MAX];
	const char *strs[] = { exe, cmd, cwd };
	uint64_t start_ns;
	struct stat st;
	ssize_t n;
	char *nl;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small(path, stat_buf, sizeof(stat_buf)) < 0 ||
	    parse_stat(stat_buf, &m.ppid, &start_ns))
		return 0; /* exited meanwhile */
	m.h.ts = start_ns;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (stat(path, &st) == 0)
		m.uid = st.st_uid;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (read_small(path, comm, sizeof(comm)) > 0) {
		if ((nl = strchr(comm, '\n')))
			*nl = 0;
		snprintf(m.comm, sizeof(m.comm), "%.15s", comm);
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	/* relative paths opened later resolve against it */
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	n = readlink(path, cwd, sizeof(cwd) - 1);
	cwd[n > 0 ? n : 0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = no_args ? -1 : read_small(path, cmd, sizeof(cmd));
	for (ssize_t i = 0; i < n - 1; i++) /* argv is NUL-separated */
		if (!cmd[i])
			cmd[i] = ' ';
	if (n < 0)
		cmd[0] = 0;

	int err = rec_emit(w, BF_BLK_META, &m, sizeof(m), strs, 3);

	return err ?: snapshot_threads(w, pid) ?: snapshot_fds(w, pid, which);
}

int meta_write_snapshot(struct bf_writer *w, const struct rec_opts *o, int launched)
{
	struct dirent *de;
	DIR *d;
	int err = 0;

	/*
	 * Only -a and -c can meet any process. The command's events name
	 * only itself, its descendants and its parent, the recorder: the
	 * command (still held: the fds it will inherit) and the recorder's
	 * name are all it needs. Everything else is left out, command lines
	 * included.
	 */
	if (o->command)
		return snapshot_proc(w, getpid(), SNAP_FDS_NONE, o->no_args) ?:
		       snapshot_proc(w, launched, SNAP_FDS_INHERITED, o->no_args);
	if (o->pid)
		return snapshot_proc(w, o->pid, SNAP_FDS_ALL, o->no_args);
	d = opendir("/proc");
	if (!d)
		return -errno;
	proc_dir_fd = dirfd(d);
	while (!err && (de = readdir(d)))
		if (isdigit(de->d_name[0]))
			err = snapshot_proc(w, atoi(de->d_name), SNAP_FDS_ALL, o->no_args);
	closedir(d);
	proc_dir_fd = -1;
	snap_sock_reset();
	return err;
}
