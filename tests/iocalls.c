// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known quantities for the two-fd calls (tests/e2e_io.sh): in directory
 * DIR, each call moves a distinct number of bytes from one fd to another,
 * so that the fds' counters show which call was credited where:
 *
 *   src.dat  written with 10000 bytes (write), then read by
 *            sendfile 1000 -> sendfile.dat, copy_file_range 2000 ->
 *            cfr.dat, splice 3000 -> pipe A (write end)
 *   tee      400 from pipe A (read end) -> pipe B (write end)
 *   splice   400 from pipe B (read end) -> tee.dat
 *   splice   3000 from pipe A (read end) -> splice.dat
 *   vmsplice 500 of user memory -> pipe C (write end), then
 *   vmsplice 500 from pipe C (read end) -> user memory
 *
 * Exits non-zero, saying which, if a call moved another count.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <unistd.h>

static void expect(const char *what, ssize_t got, ssize_t want)
{
	if (got != want) {
		fprintf(stderr, "iocalls: %s moved %zd bytes, not %zd\n", what, got, want);
		exit(1);
	}
}

static int create(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	static char buf[10000], out[500];
	int src, a[2], b[2], c[2], fd;
	struct iovec iov = { buf, 500 };
	loff_t off = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: iocalls DIR\n");
		return 2;
	}
	memset(buf, 'x', sizeof(buf));
	src = create(argv[1], "src.dat");
	expect("write", write(src, buf, sizeof(buf)), 10000);
	if (pipe(a) || pipe(b) || pipe(c)) {
		perror("pipe");
		return 1;
	}
	fd = create(argv[1], "sendfile.dat");
	expect("sendfile", sendfile(fd, src, &off, 1000), 1000);
	fd = create(argv[1], "cfr.dat");
	off = 0;
	expect("copy_file_range", copy_file_range(src, &off, fd, NULL, 2000, 0), 2000);
	off = 0;
	expect("splice file->pipe", splice(src, &off, a[1], NULL, 3000, 0), 3000);
	expect("tee", tee(a[0], b[1], 400, 0), 400);
	fd = create(argv[1], "tee.dat");
	expect("splice pipe->file (tee'd)", splice(b[0], NULL, fd, NULL, 400, 0), 400);
	fd = create(argv[1], "splice.dat");
	expect("splice pipe->file", splice(a[0], NULL, fd, NULL, 3000, 0), 3000);
	expect("vmsplice to pipe", vmsplice(c[1], &iov, 1, 0), 500);
	iov.iov_base = out;
	expect("vmsplice from pipe", vmsplice(c[0], &iov, 1, 0), 500);
	return 0;
}
