// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known quantities for the block I/O reports (tests/e2e_bio.sh):
 *   bioload DEV N M
 * reads DEV with O_DIRECT in exactly N reads of 4096 bytes, then writes it
 * in exactly M writes of 4096 bytes, one at a time (each completed before
 * the next is issued: no merging), the k-th read or write at offset
 * k * 4096, so reads and writes meet on the same sectors. Prints its pid
 * first, and nothing else; exits 1 on any short or failed call.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IO_SIZE 4096

int main(int argc, char **argv)
{
	void *buf;
	int fd, n, m;

	if (argc != 4)
		return 2;
	n = atoi(argv[2]);
	m = atoi(argv[3]);
	printf("%d\n", getpid());
	fflush(stdout);
	/* O_DIRECT: every call is one request of its own, none from the page cache */
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, IO_SIZE, IO_SIZE))
		return 1;
	memset(buf, 0x5a, IO_SIZE);
	for (int i = 0; i < n; i++)
		if (pread(fd, buf, IO_SIZE, (off_t)i * IO_SIZE) != IO_SIZE)
			return 1;
	for (int i = 0; i < m; i++)
		if (pwrite(fd, buf, IO_SIZE, (off_t)i * IO_SIZE) != IO_SIZE)
			return 1;
	free(buf);
	return close(fd) ? 1 : 0;
}
