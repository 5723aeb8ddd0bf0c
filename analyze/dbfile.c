// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbfile.h"

#define SQLITE_MAGIC "SQLite format 3" /* and its NUL: 16 bytes */
#define SQLITE_HDR 100
#define SQLITE_APP_ID_OFF 68 /* big-endian, in the file header */
#define TMP_SUFFIX ".tmp"
#define NOT_REGULAR "not a regular file (only regular files are read)"

int df_open_regular(const char *path, struct an_err *e)
{
	struct stat st;
	int fd;

	/* stat first: opening some devices has effects; O_NONBLOCK: a FIFO swapped in */
	if (stat(path, &st))
		return an_errf(e, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return an_errf(e, NOT_REGULAR);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return an_errf(e, "%s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return an_errf(e, NOT_REGULAR);
	}
	return fd;
}

/* A database made before the application id: its meta names the analyzer build. */
static int has_build_key(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int ours = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT 1 FROM meta WHERE key = 'analyzer_build'", -1, &st,
			       NULL) == SQLITE_OK) {
		ours = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return ours;
}

int df_is_ours(const char *path)
{
	unsigned char h[SQLITE_HDR];
	uint32_t app;
	int fd = df_open_regular(path, NULL);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, h, sizeof(h), 0);
	close(fd);
	if (n != (ssize_t)sizeof(h) || memcmp(h, SQLITE_MAGIC, sizeof(SQLITE_MAGIC)))
		return 0;
	/* the header alone: a database damaged further in is still known */
	app = (uint32_t)h[SQLITE_APP_ID_OFF] << 24 | (uint32_t)h[SQLITE_APP_ID_OFF + 1] << 16 |
	      (uint32_t)h[SQLITE_APP_ID_OFF + 2] << 8 | h[SQLITE_APP_ID_OFF + 3];
	return app == DF_APPLICATION_ID || has_build_key(path);
}

int df_check_target(const char *dbpath, const char *trace, struct an_err *e)
{
	struct stat st, ts;

	if (lstat(dbpath, &st))
		return errno == ENOENT ? 0 : an_errf(e, "%s: %s", dbpath, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return an_errf(e, "refusing to write %s: a symbolic link", dbpath);
	if (!S_ISREG(st.st_mode))
		return an_errf(e, "refusing to write %s: not a regular file", dbpath);
	if (!stat(trace, &ts) && ts.st_dev == st.st_dev && ts.st_ino == st.st_ino)
		return an_errf(e, "refusing to overwrite %s: it is the trace", dbpath);
	if (!df_is_ours(dbpath))
		return an_errf(e, "refusing to overwrite %s: not a database made by analyze",
			       dbpath);
	return 0;
}

void df_make_private(const char *dbpath)
{
	/* O_NOFOLLOW: a link to a database elsewhere is not ours to change */
	int fd = open(dbpath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 07777) != 0600 && fchmod(fd, 0600))
		fprintf(stderr, "analyze: warning: %s stays mode %03o (it should be 0600): %s\n",
			dbpath, (unsigned)(st.st_mode & 07777), strerror(errno));
	close(fd);
}

/* ---- the temporary file ---- */

static const int cleanup_sigs[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[AN_ARRAY_SIZE(cleanup_sigs)];
static const char *volatile sig_tmp; /* what the handler removes */

static void on_signal(int sig)
{
	if (sig_tmp)
		unlink(sig_tmp);
	/* then die of the signal, as the caller expects (exit status 128 + N) */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(const char *path)
{
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	sig_tmp = path;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < AN_ARRAY_SIZE(cleanup_sigs); i++) {
		sigaction(cleanup_sigs[i], NULL, &saved[i]);
		/* an ignored signal (nohup) stays ignored */
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(cleanup_sigs[i], &sa, NULL);
	}
}

static void restore_signals(void)
{
	size_t i;

	for (i = 0; i < AN_ARRAY_SIZE(cleanup_sigs); i++)
		sigaction(cleanup_sigs[i], &saved[i], NULL);
	sig_tmp = NULL;
}

/* Is NAME BASE.tmpPID for a PID of a process that is gone? Returns the pid or 0. */
static pid_t dead_tmp_pid(const char *name, const char *base)
{
	size_t blen = strlen(base), slen = strlen(TMP_SUFFIX);
	const char *digits = name + blen + slen;
	char *end;
	long pid;

	if (strncmp(name, base, blen) || strncmp(name + blen, TMP_SUFFIX, slen) ||
	    *digits < '1' || *digits > '9')
		return 0;
	errno = 0;
	pid = strtol(digits, &end, 10);
	if (errno || *end || pid <= 0 || (pid_t)pid != pid || pid == getpid())
		return 0;
	/* alive, or not ours to signal: leave it */
	if (!kill((pid_t)pid, 0) || errno != ESRCH)
		return 0;
	return (pid_t)pid;
}

/*
 * Remove DIR/NAME if it is a temporary database nobody writes: ours (a
 * regular file, empty or SQLite), and unlocked. A live import holds its
 * flock, even one whose pid we cannot see (another pid namespace) or one
 * that reused a dead import's pid.
 */
static void remove_if_stale(int dirfd, const char *name)
{
	static const char zero[SQLITE_HDR];
	char h[SQLITE_HDR];
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return;
	/* SQLite writes page 1 last: a killed import's starts with zeros */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_size == 0 || (pread(fd, h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
				 (!memcmp(h, SQLITE_MAGIC, sizeof(SQLITE_MAGIC)) ||
				  !memcmp(h, zero, sizeof(h))))) &&
	    !flock(fd, LOCK_EX | LOCK_NB))
		unlinkat(dirfd, name, 0);
	close(fd);
}

/* Remove the temporary files of imports into DBPATH that died (SIGKILL, a crash). */
static void remove_stale(const char *dbpath)
{
	char *dir = strdup(dbpath), *slash;
	const char *base = dbpath;
	struct dirent *de;
	DIR *d;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (slash) {
		base = dbpath + (slash - dir) + 1;
		slash[slash == dir] = '\0'; /* "/x.db": the root */
	}
	d = opendir(slash ? dir : ".");
	while (d && (de = readdir(d)))
		if (dead_tmp_pid(de->d_name, base))
			remove_if_stale(dirfd(d), de->d_name);
	if (d)
		closedir(d);
	free(dir);
}

int df_tmp_create(struct df_tmp *t, const char *dbpath, struct an_err *e)
{
	t->fd = -1;
	if (asprintf(&t->path, "%s" TMP_SUFFIX "%ld", dbpath, (long)getpid()) < 0) {
		t->path = NULL;
		return an_errf(e, "out of memory");
	}
	remove_stale(dbpath);
	unlink(t->path); /* an earlier process of our pid's */
	catch_signals(t->path);
	/* created here, not by SQLite: the mode, and the reason it fails (EACCES, EROFS) */
	t->fd = open(t->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (t->fd < 0) {
		an_errf(e, "cannot create %s: %s", dbpath, strerror(errno));
		restore_signals();
		free(t->path);
		t->path = NULL;
		return -1;
	}
	/* kept until released: closing it would drop SQLite's fcntl locks too */
	flock(t->fd, LOCK_EX | LOCK_NB);
	return 0;
}

int df_tmp_commit(struct df_tmp *t, const char *dbpath, struct an_err *e)
{
	if (rename(t->path, dbpath))
		return an_errf(e, "%s: %s", dbpath, strerror(errno));
	sig_tmp = NULL;
	free(t->path);
	t->path = NULL;
	return 0;
}

void df_tmp_release(struct df_tmp *t)
{
	if (t->path)
		unlink(t->path);
	if (t->fd >= 0)
		close(t->fd);
	restore_signals();
	free(t->path);
	t->path = NULL;
	t->fd = -1;
}
