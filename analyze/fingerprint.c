// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "dbfile.h"
#include "fingerprint.h"

#define FP_CHUNK (1 << 20)

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000 + t->tv_nsec;
}

int fp_stat(const char *path, char buf[FP_LEN], struct an_err *e)
{
	struct stat st;

	if (stat(path, &st))
		return an_errf(e, "%s", strerror(errno));
	snprintf(buf, FP_LEN, "%llu:%llu:%lld:%lld:%lld", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino, (long long)st.st_size, ns(&st.st_mtim),
		 ns(&st.st_ctim));
	return 0;
}

int fp_content(const char *path, char buf[FP_LEN], struct an_err *e)
{
	unsigned char *chunk = malloc(FP_CHUNK);
	uLong crc = crc32(0, NULL, 0);
	long long size = 0;
	ssize_t n;
	int fd;

	if (!chunk)
		return an_errf(e, "out of memory");
	fd = df_open_regular(path, e);
	if (fd < 0) {
		free(chunk);
		return -1;
	}
	while ((n = read(fd, chunk, FP_CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		crc = crc32(crc, chunk, (uInt)n);
		size += n;
	}
	if (n < 0)
		an_errf(e, "%s", strerror(errno));
	else
		snprintf(buf, FP_LEN, "%lld:%08lx", size, crc);
	close(fd);
	free(chunk);
	return n < 0 ? -1 : 0;
}
