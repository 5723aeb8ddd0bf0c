// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "dbfile.h"
#include "trace_reader.h"

struct tr_reader {
	int fd;
	char *path;
	uint64_t data_off; /* first block */
	uint32_t blk_skipped; /* records of the loaded block of types records.def lacks */
	struct tr_info info;
	char *warning;
	/* block buffers, reused across blocks */
	uint8_t *stored;
	size_t stored_cap;
	uint8_t *raw;
	size_t raw_cap;
	ZSTD_DCtx *dctx;
	/* a syscall record expanded to the full struct ev_syscall */
	union {
		struct ev_syscall ev;
		char buf[sizeof(struct ev_syscall) + TR_SYSCALL_TAIL_MAX + 8];
	} sys;
};

/* Consumers see every syscall with all six args and the tail after them. */
static const struct ev_hdr *expand_syscall(struct tr_reader *r, const struct ev_hdr *h)
{
	const struct ev_syscall *in = (const struct ev_syscall *)h;
	struct ev_syscall *out = &r->sys.ev;
	size_t nargs = in->nargs;

	memcpy(out, in, EV_SYSCALL_FIXED + 8 * nargs);
	memset(out->args + nargs, 0, 8 * (6 - nargs));
	memcpy(out + 1, (const char *)in + EV_SYSCALL_FIXED + 8 * nargs, in->tail_len);
	out->h.size = sizeof(*out) + bf_align8(in->tail_len);
	memset((char *)(out + 1) + in->tail_len, 0, bf_align8(in->tail_len) - in->tail_len);
	return &out->h;
}

/* read exactly LEN bytes at OFF; returns bytes read (short at EOF) or -1 */
static ssize_t read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int tr_open(struct tr_reader **rp, const char *path, struct an_err *e)
{
	struct tr_reader *r;
	struct bf_file_hdr fh;
	struct stat st;
	ssize_t n;

	*rp = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return an_errf(e, "out of memory");
	/* a FIFO would hang the open, a device never end */
	r->fd = df_open_regular(path, e);
	if (r->fd < 0)
		goto fail;
	if (fstat(r->fd, &st)) {
		an_errf(e, "%s", strerror(errno));
		goto fail;
	}
	r->info.file_size = (uint64_t)st.st_size;
	r->info.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	n = read_at(r->fd, &fh, sizeof(fh), 0);
	if (n < 0) {
		an_errf(e, "%s", strerror(errno));
		goto fail;
	}
	if ((size_t)n < sizeof(fh.magic) || memcmp(fh.magic, BF_MAGIC, sizeof(fh.magic))) {
		an_errf(e, "not a bpfrec trace (bad magic)");
		goto fail;
	}
	if ((size_t)n < sizeof(fh)) {
		an_errf(e, "truncated file header");
		goto fail;
	}
	/* every released version is read: see "Versions" in record/FORMAT.md */
	if (fh.version < BF_VERSION_MIN || fh.version > BF_VERSION) {
		an_errf(e, "unsupported trace format version %u (this analyzer reads %u to %u)",
			fh.version, BF_VERSION_MIN, BF_VERSION);
		goto fail;
	}
	/* a flag says "read me differently": one we do not know, we cannot */
	if (fh.flags & ~BF_FLAGS_KNOWN) {
		an_errf(e, "unknown trace flags 0x%x (a newer recorder's: this analyzer would "
			"misread the trace)", fh.flags & ~BF_FLAGS_KNOWN);
		goto fail;
	}
	/* hdr_size may grow in later versions; a sane bound stops nonsense */
	if (fh.hdr_size < sizeof(fh) || fh.hdr_size > 4096) {
		an_errf(e, "bad file header size %u", fh.hdr_size);
		goto fail;
	}
	r->info.version = fh.version;
	r->info.created_ns = fh.created_ns;
	r->data_off = fh.hdr_size;
	r->path = strdup(path);
	r->dctx = ZSTD_createDCtx();
	if (!r->path || !r->dctx) {
		an_errf(e, "out of memory");
		goto fail;
	}
	*rp = r;
	return 0;
fail:
	tr_close(r);
	return -1;
}

void tr_close(struct tr_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	ZSTD_freeDCtx(r->dctx);
	free(r->path);
	free(r->warning);
	free(r->stored);
	free(r->raw);
	free(r);
}

const char *tr_warning(const struct tr_reader *r)
{
	return r->warning;
}

const struct tr_info *tr_get_info(const struct tr_reader *r)
{
	return &r->info;
}

static int reserve(uint8_t **buf, size_t *cap, size_t len)
{
	uint8_t *nb;

	if (len <= *cap)
		return 0;
	nb = realloc(*buf, len);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = len;
	return 0;
}

/* Is there a NUL in [s, end)? Returns the byte after it, or NULL. */
static const char *str_end(const char *s, const char *end)
{
	const char *nul = s < end ? memchr(s, 0, (size_t)(end - s)) : NULL;

	return nul ? nul + 1 : NULL;
}

/*
 * Check that [s, end) starts with N NUL-terminated strings, then up to OPT
 * optional ones: absent when the record ends first (older recorders),
 * terminated when present.
 */
static int check_strs(const char *s, const char *end, int n, int opt)
{
	while (n-- > 0) {
		s = str_end(s, end);
		if (!s)
			return -1;
	}
	while (opt-- > 0 && s < end) {
		s = str_end(s, end);
		if (!s)
			return -1;
	}
	return 0;
}

const char *tr_str(const struct ev_hdr *h, size_t fixed, int n)
{
	const char *s = (const char *)h + fixed, *end = (const char *)h + h->size;

	while (n-- > 0 && s < end)
		s += strlen(s) + 1; /* checked by tr_check_record() */
	return s < end ? s : "";
}

/* Where the tail of a stored (compact) syscall record starts. */
static const char *stored_tail(const struct ev_syscall *ev)
{
	return (const char *)ev + EV_SYSCALL_FIXED + 8 * ev->nargs;
}

static int tr_check_syscall(const struct ev_syscall *ev, struct an_err *e)
{
	const char *tail, *end;

	if (ev->nargs > 6)
		return an_errf(e, "syscall record with %u arguments", ev->nargs);
	/* consumers subtract the two: keep the difference a valid int64 */
	if (ev->exit_ts && (ev->exit_ts < ev->h.ts || ev->exit_ts - ev->h.ts > INT64_MAX))
		return an_errf(e, "syscall exits before it enters");
	if (EV_SYSCALL_FIXED + 8u * ev->nargs + ev->tail_len > ev->h.size)
		return an_errf(e, "syscall tail of %u bytes overruns its record", ev->tail_len);
	if (ev->tail_len > TR_SYSCALL_TAIL_MAX)
		return an_errf(e, "syscall tail of %u bytes is too long", ev->tail_len);
	tail = stored_tail(ev);
	end = tail + ev->tail_len;
	switch (ev->tail_kind) {
	case TAIL_PATHS:
		/* one string, optionally a second one */
		tail = str_end(tail, end);
		if (!tail || (tail < end && !str_end(tail, end)))
			return an_errf(e, "unterminated path in syscall tail");
		break;
	case TAIL_FDPAIR:
		/* version 1: the fds only; since 2 their inodes too */
		if (ev->tail_len < 2 * sizeof(int))
			return an_errf(e, "short fd pair tail");
		break;
	case TAIL_SOCK:
		/* the fixed part, then maybe a unix path */
		if (ev->tail_len < sizeof(struct ev_sock) ||
		    (ev->tail_len > sizeof(struct ev_sock) &&
		     !str_end(tail + sizeof(struct ev_sock), end)))
			return an_errf(e, "bad socket tail");
		break;
	case TAIL_SOCKADDR:
		/* the fixed part, then the address argument's bytes, if read */
		if (ev->tail_len < sizeof(struct ev_sock) ||
		    ev->tail_len > sizeof(struct ev_sock) + BPFREC_SOCKADDR_MAX)
			return an_errf(e, "bad socket address tail");
		break;
	case TAIL_EXEC:
		/* a filename, then argv: any bytes, which the importer splits */
		if (!str_end(tail, end))
			return an_errf(e, "unterminated filename in exec tail");
		break;
	}
	/* other kinds (a later writer's) are ignored by consumers */
	return 0;
}

static int tr_check_exec(const struct ev_exec *x, struct an_err *e)
{
	const char *rec = (const char *)x;

	if (sizeof(*x) + x->filename_len + x->args_len > x->h.size)
		return an_errf(e, "exec tail overruns its record");
	if (!x->filename_len || rec[sizeof(*x) + x->filename_len - 1])
		return an_errf(e, "exec filename unterminated");
	return 0;
}

static int tr_check_tp(const struct ev_tp *t, struct an_err *e)
{
	if (sizeof(*t) + t->len > t->h.size)
		return an_errf(e, "tracepoint data overruns its record");
	return 0;
}

static int tr_check_none(const void *rec, struct an_err *e)
{
	(void)rec;
	(void)e;
	return 0;
}

/* The fixed part and the strings records.def gives type D. */
static int check_layout(const struct ev_hdr *h, const struct bf_rec_desc *d, struct an_err *e)
{
	const char *rec = (const char *)h;

	if (h->size < d->min_size)
		return an_errf(e, "record type %u: size %u below its layout (%u)", h->type, h->size,
			       d->min_size);
	if (check_strs(rec + d->min_size, rec + h->size, d->nstrs, d->nopt))
		return an_errf(e, "record type %u: unterminated string", h->type);
	return 0;
}

int tr_check_record(const struct ev_hdr *h, struct an_err *e)
{
	const struct bf_rec_desc *d = bf_rec_desc(h->type);

	if (!d) {
		if (h->type && h->type < BF_TYPE_END)
			return 1; /* a newer recorder's type: skipped */
		return an_errf(e, "record type %u outside the defined ranges", h->type);
	}
	if (check_layout(h, d, e))
		return -1;
	switch (h->type) {
#define EV(num, id, group, name, st, min_size, nstrs, nopt, check) \
	case id:                                                  \
		return tr_check_##check((const struct st *)h, e);
#define META(num, id, name, st, min_size, nstrs, nopt, check) \
	case id:                                              \
		return tr_check_##check((const struct st *)h, e);
#include "records.def"
	}
	return 0;
}

/* Check all records of a decoded block; counts those of unknown types in *SKIPPED. */
static int check_block(const uint8_t *p, uint32_t len, uint32_t nrecords, uint32_t *skipped,
		       struct an_err *e)
{
	uint32_t off = 0, n = 0;
	struct an_err re;
	int ret;

	while (off < len) {
		const struct ev_hdr *h = (const struct ev_hdr *)(p + off);

		if (len - off < sizeof(*h))
			return an_errf(e, "record %u: truncated header", n);
		if (h->size < sizeof(*h) || h->size > len - off || h->size % 8)
			return an_errf(e, "record %u: bad size %u", n, h->size);
		ret = tr_check_record(h, &re);
		if (ret < 0)
			return an_errf(e, "record %u: %s", n, re.msg);
		*skipped += ret;
		off += h->size;
		n++;
	}
	if (n != nrecords)
		return an_errf(e, "holds %u records, header says %u", n, nrecords);
	return 0;
}

static int is_record_block(const struct bf_block_hdr *bh)
{
	return bh->kind >= BF_BLK_META && bh->kind <= BF_BLK_STOP;
}

/* The sizes BH announces, against the limits of trace_format.h, before any allocation. */
static int check_sizes(const struct bf_block_hdr *bh, struct an_err *e)
{
	uint32_t max = is_record_block(bh) ? BF_BLOCK_RAW_MAX : BF_OBJ_BLOCK_MAX;

	if (bh->raw_len > max || bh->stored_len > max)
		return an_errf(e, "block of kind %u: %u bytes decoded, %u stored: over the %u MiB "
				  "limit of its kind",
			       bh->kind, bh->raw_len, bh->stored_len, max >> 20);
	if (bh->codec == BF_CODEC_NONE ? bh->stored_len != bh->raw_len : bh->codec != BF_CODEC_ZSTD)
		return an_errf(e, "bad codec %u or sizes %u/%u", bh->codec, bh->raw_len,
			       bh->stored_len);
	if ((uint64_t)bh->stored_len * BF_BLOCK_RATIO_MAX < bh->raw_len)
		return an_errf(e, "block decodes %u bytes from %u: over the %ux expansion limit",
			       bh->raw_len, bh->stored_len, BF_BLOCK_RATIO_MAX);
	return 0;
}

/*
 * Load the block at *OFF into r->raw. Returns 1 with *OFF advanced, 2 with
 * *OFF advanced past an intact block of an unknown kind, 0 at a clean end
 * of file, -1 with E set when the block is bad.
 */
static int load_block(struct tr_reader *r, uint64_t *off, struct bf_block_hdr *bh,
		      struct an_err *e)
{
	struct bf_block_hdr tmp;
	ssize_t n = read_at(r->fd, bh, sizeof(*bh), *off);
	uint32_t crc;

	if (n < 0)
		return an_errf(e, "read error: %s", strerror(errno));
	if (n == 0)
		return 0;
	if ((size_t)n < sizeof(*bh))
		return an_errf(e, "truncated block header");
	if (bh->magic != BF_BLOCK_MAGIC)
		return an_errf(e, "bad block magic 0x%08x", bh->magic);
	if (check_sizes(bh, e))
		return -1;
	if (reserve(&r->stored, &r->stored_cap, bh->stored_len) ||
	    (is_record_block(bh) && reserve(&r->raw, &r->raw_cap, bh->raw_len)))
		return an_errf(e, "out of memory");
	n = read_at(r->fd, r->stored, bh->stored_len, *off + sizeof(*bh));
	if (n < 0)
		return an_errf(e, "read error: %s", strerror(errno));
	if ((size_t)n < bh->stored_len)
		return an_errf(e, "truncated block (%zd of %u bytes)", n, bh->stored_len);
	tmp = *bh;
	tmp.crc32 = 0;
	crc = (uint32_t)crc32(0, (const Bytef *)&tmp, sizeof(tmp));
	crc = (uint32_t)crc32(crc, r->stored, bh->stored_len);
	if (crc != bh->crc32)
		return an_errf(e, "CRC mismatch");
	*off += sizeof(*bh) + bh->stored_len;
	/* a newer writer's kind (large objects): intact, so skip it whole */
	if (!is_record_block(bh))
		return 2;
	if (bh->codec == BF_CODEC_ZSTD) {
		unsigned long long fsz = ZSTD_getFrameContentSize(r->stored, bh->stored_len);
		size_t got;

		if (fsz != bh->raw_len)
			return an_errf(e, "zstd frame size does not match the block header");
		got = ZSTD_decompressDCtx(r->dctx, r->raw, bh->raw_len, r->stored,
					  bh->stored_len);
		if (ZSTD_isError(got))
			return an_errf(e, "zstd: %s", ZSTD_getErrorName(got));
		if (got != bh->raw_len)
			return an_errf(e, "zstd decoded %zu bytes, expected %u", got, bh->raw_len);
	} else {
		memcpy(r->raw, r->stored, bh->raw_len);
	}
	r->blk_skipped = 0;
	if (check_block(r->raw, bh->raw_len, bh->nrecords, &r->blk_skipped, e))
		return -1;
	return 1;
}

int tr_read(struct tr_reader *r, tr_record_fn fn, void *ctx, struct an_err *e)
{
	uint64_t off = r->data_off;
	struct bf_block_hdr bh;
	const struct ev_hdr *h;
	struct an_err be;
	char buf[sizeof(be.msg) + 128], w[sizeof(buf) + 192] = "";
	int ret;

	free(r->warning);
	r->warning = NULL;
	memset(&r->info.blocks, 0, sizeof(r->info) - offsetof(struct tr_info, blocks));
	for (;;) {
		uint64_t start = off;
		uint32_t pos;

		ret = load_block(r, &off, &bh, &be);
		if (ret == 0)
			break;
		if (ret < 0) {
			snprintf(buf, sizeof(buf), "block at offset %llu: %s",
				 (unsigned long long)start, be.msg);
			break;
		}
		if (ret == 2) {
			r->info.skipped_blocks++;
			continue;
		}
		r->info.blocks++;
		r->info.records += bh.nrecords;
		r->info.bytes_raw += bh.raw_len;
		r->info.bytes_stored += sizeof(bh) + bh.stored_len;
		r->info.skipped_records += r->blk_skipped;
		if (bh.kind == BF_BLK_STOP)
			r->info.has_stop = 1;
		for (pos = 0; pos < bh.raw_len; pos += h->size) {
			h = (const struct ev_hdr *)(r->raw + pos);
			if (r->blk_skipped && !bf_rec_desc(h->type))
				continue;
			ret = fn(ctx, bh.kind, h->type == EV_SYSCALL ? expand_syscall(r, h) : h);
			if (ret)
				return ret;
		}
	}
	if (!r->info.blocks)
		return an_errf(e, "no complete block%s%s", ret < 0 ? ": " : "",
			       ret < 0 ? buf : " (recording ended before any data)");
	if (ret < 0)
		snprintf(w, sizeof(w), "%s; salvaged the %llu good blocks before it", buf,
			 (unsigned long long)r->info.blocks);
	else if (!r->info.has_stop)
		snprintf(w, sizeof(w), "no STOP block: the recorder did not stop cleanly; "
				       "using everything written before");
	if (r->info.skipped_records)
		snprintf(w + strlen(w), sizeof(w) - strlen(w),
			 "%sskipped %llu records of types this analyzer does not know"
			 " (a newer recorder?)",
			 w[0] ? "; " : "", (unsigned long long)r->info.skipped_records);
	if (w[0])
		r->warning = strdup(w);
	return 0;
}
