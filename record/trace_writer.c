// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Block writer for .bpfrec files; see trace_writer.h and FORMAT.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "trace_format.h"
#include "trace_writer.h"

/* Large blocks compress well; the flush timer bounds what a crash loses. */
#define BLOCK_RAW_SIZE (1u << 20)
_Static_assert(BLOCK_RAW_SIZE <= BF_BLOCK_RAW_MAX, "readers refuse blocks over BF_BLOCK_RAW_MAX");

struct bf_writer {
	int fd;
	int level;
	int kind; /* kind of the pending block, 0: none */
	int err; /* first write error, sticky */
	uint32_t nrecords;
	size_t used;
	unsigned char *raw;
	unsigned char *out; /* header + compressed payload */
	size_t out_cap;
	ZSTD_CCtx *zc;
	struct bf_writer_stats st;
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int bf_writer_fdopen(struct bf_writer **wp, int fd, int level)
{
	struct bf_file_hdr fh = { .version = BF_VERSION, .hdr_size = sizeof(fh) };
	struct timespec now;
	struct bf_writer *w;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w) {
		close(fd);
		return -ENOMEM;
	}
	w->fd = fd;
	w->level = level;
	w->out_cap = sizeof(struct bf_block_hdr) + ZSTD_compressBound(BLOCK_RAW_SIZE);
	w->raw = malloc(BLOCK_RAW_SIZE);
	w->out = malloc(w->out_cap);
	w->zc = level > 0 ? ZSTD_createCCtx() : NULL;
	if (!w->raw || !w->out || (level > 0 && !w->zc)) {
		err = -ENOMEM;
		goto fail;
	}
	if (w->zc)
		ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, level);

	memcpy(fh.magic, BF_MAGIC, sizeof(fh.magic));
	clock_gettime(CLOCK_REALTIME, &now);
	fh.created_ns = now.tv_sec * 1000000000ull + now.tv_nsec;
	err = write_all(w->fd, &fh, sizeof(fh));
	if (err)
		goto fail;
	w->st.bytes_stored = sizeof(fh);
	*wp = w;
	return 0;
fail:
	close(fd);
	ZSTD_freeCCtx(w->zc);
	free(w->raw);
	free(w->out);
	free(w);
	return err;
}

int bf_writer_flush(struct bf_writer *w)
{
	struct bf_block_hdr *bh = (struct bf_block_hdr *)w->out;
	unsigned char *payload = w->out + sizeof(*bh);
	size_t stored = w->used;
	uLong crc;
	int err;

	if (w->err)
		return w->err;
	if (!w->used)
		return 0;

	memset(bh, 0, sizeof(*bh));
	bh->magic = BF_BLOCK_MAGIC;
	bh->kind = w->kind;
	bh->codec = BF_CODEC_NONE;
	if (w->zc) {
		size_t n = ZSTD_compress2(w->zc, payload,
					  w->out_cap - sizeof(*bh), w->raw,
					  w->used);

		/*
		 * Keep the raw bytes when zstd fails or does not help, or
		 * compresses more than readers accept (BF_BLOCK_RATIO_MAX).
		 */
		if (!ZSTD_isError(n) && n < w->used && n * BF_BLOCK_RATIO_MAX >= w->used) {
			bh->codec = BF_CODEC_ZSTD;
			stored = n;
		}
	}
	if (bh->codec == BF_CODEC_NONE)
		memcpy(payload, w->raw, w->used);
	bh->raw_len = w->used;
	bh->stored_len = stored;
	bh->nrecords = w->nrecords;
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, (const Bytef *)bh, sizeof(*bh));
	crc = crc32(crc, payload, stored);
	bh->crc32 = crc;

	/* One write per block: a crash leaves at most one partial block. */
	err = write_all(w->fd, w->out, sizeof(*bh) + stored);
	if (err) {
		w->err = err;
		return err;
	}
	w->st.bytes_stored += sizeof(*bh) + stored;
	w->st.blocks++;
	w->used = 0;
	w->nrecords = 0;
	return 0;
}

int bf_writer_append(struct bf_writer *w, int kind, const void *rec)
{
	const struct ev_hdr *h = rec;
	size_t size = h->size;
	int err;

	if (w->err)
		return w->err;
	if (size < sizeof(*h) || size > BLOCK_RAW_SIZE)
		return -EINVAL;
	if ((w->kind != kind && w->used) || w->used + size > BLOCK_RAW_SIZE) {
		err = bf_writer_flush(w);
		if (err)
			return err;
	}
	w->kind = kind;
	memcpy(w->raw + w->used, rec, size);
	w->used += size;
	w->nrecords++;
	w->st.records++;
	w->st.bytes_raw += size;
	return 0;
}

void bf_writer_stats(const struct bf_writer *w, struct bf_writer_stats *st)
{
	*st = w->st;
}

int bf_writer_close(struct bf_writer *w)
{
	int err = bf_writer_flush(w);

	if (fsync(w->fd) < 0 && !err && errno != EINVAL)
		err = -errno;
	if (close(w->fd) < 0 && !err)
		err = -errno;
	ZSTD_freeCCtx(w->zc);
	free(w->raw);
	free(w->out);
	free(w);
	return err;
}
