// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Creation of the trace file; see outfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* "record: cannot create PATH: WHY"; returns ERR */
static int fail(int err, const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "record: cannot create %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return err;
}

static int fail_errno(int err, const char *path)
{
	return fail(err, path, "%s", strerror(-err));
}

static const char *kind_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	}
	return "something else";
}

enum { NOTHING, EMPTY_FILE, FILE_WITH_DATA };

/* What is at PATH: one of the above, or < 0: refused (said why). */
static int existing(const char *path)
{
	struct stat st;
	int err;

	if (lstat(path, &st)) {
		err = -errno;
		return err == -ENOENT ? NOTHING : fail_errno(err, path);
	}
	if (S_ISLNK(st.st_mode))
		return fail(-ELOOP, path, "it is a symbolic link (not followed)");
	if (!S_ISREG(st.st_mode))
		return fail(-EEXIST, path, "it is %s, not a regular file", kind_name(st.st_mode));
	return st.st_size ? FILE_WITH_DATA : EMPTY_FILE;
}

int outfile_check(const char *path)
{
	int err = existing(path);
	char *dir;

	if (err < 0)
		return err;
	dir = strdup(path);
	if (!dir)
		return fail_errno(-ENOMEM, path);
	err = 0;
	/* keeping FILE.old, removing an empty FILE and creating FILE all
	 * write the directory */
	if (access(dirname(dir), W_OK | X_OK)) {
		err = -errno;
		fail(err, path, "directory %s: %s", dir, strerror(-err));
	}
	free(dir);
	return err;
}

/* Rename PATH to PATH.old, replacing an older one as perf does (rename
 * replaces a link there, never follows it). */
static int keep_old(const char *path)
{
	size_t len = strlen(path) + sizeof(".old");
	char *old = malloc(len);
	int err = 0;

	if (!old)
		return fail_errno(-ENOMEM, path);
	snprintf(old, len, "%s.old", path);
	if (rename(path, old)) {
		err = -errno;
		fail(err, path, "keeping the file there as %s: %s", old, strerror(-err));
	}
	free(old);
	return err;
}

/* An empty FILE holds no trace (a failed run, a touch): it is removed
 * rather than kept, so that it does not replace a FILE.old worth keeping
 * (perf record keeps no empty file either). */
static int remove_empty(const char *path)
{
	int err = 0;

	if (unlink(path)) {
		err = -errno;
		fail(err, path, "removing the empty file there: %s", strerror(-err));
	}
	return err;
}

int outfile_create(const char *path)
{
	int fd, err = existing(path);

	if (err == FILE_WITH_DATA)
		err = keep_old(path);
	else if (err == EMPTY_FILE)
		err = remove_empty(path);
	if (err < 0)
		return err;
	/* O_EXCL: whatever appeared at PATH since (a planted link) is not
	 * written through; the write goes to a file we created. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail_errno(-errno, path);
	/* the umask may have taken bits off: exactly 0600 */
	if (fchmod(fd, 0600)) {
		err = -errno;
		close(fd);
		return fail_errno(err, path);
	}
	return fd;
}
