// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trace reader against the real writer: exact round trip (stored and
 * zstd), salvage after truncation at many offsets and after a flipped
 * byte, and rejection of hostile record sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "info.h"
#include "trace_reader.h"
#include "tracegen.h"

#define NEVENTS 300
#define MAXREC 4096

/* Every record the reader handed out, copied, with its block kind. */
struct collected {
	int n;
	int kind[MAXREC];
	char *rec[MAXREC];
};

static int collect(void *ctx, int kind, const struct ev_hdr *h)
{
	struct collected *c = ctx;

	CHECK(c->n < MAXREC);
	c->kind[c->n] = kind;
	c->rec[c->n] = malloc(h->size);
	CHECK(c->rec[c->n]);
	memcpy(c->rec[c->n], h, h->size);
	c->n++;
	return 0;
}

static void collected_free(struct collected *c)
{
	while (c->n > 0)
		free(c->rec[--c->n]);
}

static const char *path_of(int i)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "/data/file-%d", i);
	return i % 3 ? buf : NULL;
}

/* META (2 records), NEVENTS syscalls in 3 flushed blocks, STOP (1 record). */
static void write_trace(const char *path, int level)
{
	struct bf_writer *w = tg_open(path, level);
	int i;

	tg_kv(w, BF_BLK_META, BF_KEY_HOSTNAME, "testhost");
	tg_syscall_name(w, 0, "read");
	for (i = 0; i < NEVENTS; i++) {
		tg_syscall(w, 1000 + (uint64_t)i, 10, 7, 7, i % 5, i, (uint64_t)i, 2, 3,
			   path_of(i));
		if (i % 100 == 99)
			CHECK(bf_writer_flush(w) == 0);
	}
	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "5");
	tg_close(w);
}

/* The records read back are exactly the ones written, in order. */
static void check_round_trip(const char *path, int level)
{
	struct collected c = { 0 };
	struct tr_reader *r;
	struct an_err e;
	int i;

	write_trace(path, level);
	CHECK(tr_open(&r, path, &e) == 0);
	CHECK(tr_read(r, collect, &c, &e) == 0);
	CHECK(tr_warning(r) == NULL);
	CHECK(tr_get_info(r)->has_stop);
	CHECK(tr_get_info(r)->blocks == 5); /* META, 3 x EVENTS, STOP */
	CHECK(c.n == NEVENTS + 3);
	CHECK(c.kind[0] == BF_BLK_META && c.kind[1] == BF_BLK_META);
	CHECK(c.kind[c.n - 1] == BF_BLK_STOP);
	CHECK(!strcmp(((struct meta_kv *)c.rec[0])->strs, BF_KEY_HOSTNAME));
	for (i = 0; i < NEVENTS; i++) {
		const struct ev_syscall *ev = (const void *)c.rec[i + 2];
		const char *p = path_of(i);

		CHECK(c.kind[i + 2] == BF_BLK_EVENTS);
		CHECK(ev->h.type == EV_SYSCALL && ev->h.ts == 1000 + (uint64_t)i);
		CHECK(ev->exit_ts == ev->h.ts + 10 && ev->ret == i && ev->nr == i % 5);
		CHECK(ev->args[0] == (uint64_t)i && ev->args[2] == 3);
		CHECK(p ? ev->tail_kind == TAIL_PATHS && !strcmp(tr_syscall_tail(ev), p) :
			  ev->tail_kind == TAIL_NONE);
	}
	collected_free(&c);
	tr_close(r);
	printf("round trip level %d: ok\n", level);
}

/* Offsets of block ends in a well-formed file. */
static int block_ends(const char *buf, long size, long *ends)
{
	long off = sizeof(struct bf_file_hdr);
	int n = 0;

	while (off < size) {
		struct bf_block_hdr bh;

		memcpy(&bh, buf + off, sizeof(bh)); /* blocks are not aligned */
		off += (long)(sizeof(bh) + bh.stored_len);
		ends[n++] = off;
	}
	CHECK(off == size);
	return n;
}

static char *slurp(const char *path, long *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	CHECK(f);
	fseek(f, 0, SEEK_END);
	*size = ftell(f);
	rewind(f);
	buf = malloc((size_t)*size);
	CHECK(buf && fread(buf, 1, (size_t)*size, f) == (size_t)*size);
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *buf, long size)
{
	FILE *f = fopen(path, "wb");

	CHECK(f && fwrite(buf, 1, (size_t)size, f) == (size_t)size);
	CHECK(fclose(f) == 0);
}

/*
 * Read PATH; returns the number of good blocks, or -1 when the reader
 * refused the file (open or no good block). *RECORDS gets the count.
 */
static int read_blocks(const char *path, int *records, const char **warning_has)
{
	struct collected c = { 0 };
	struct tr_reader *r;
	struct an_err e;
	int blocks;

	*records = 0;
	if (tr_open(&r, path, &e))
		return -1;
	if (tr_read(r, collect, &c, &e)) {
		tr_close(r);
		collected_free(&c);
		return -1;
	}
	blocks = (int)tr_get_info(r)->blocks;
	*records = c.n;
	if (warning_has)
		CHECK(tr_warning(r) && strstr(tr_warning(r), *warning_has));
	collected_free(&c);
	tr_close(r);
	return blocks;
}

/* Cut the file at many offsets: exactly the complete blocks survive. */
static void check_truncation(const char *path, const char *cut_path)
{
	long size, ends[16], cut;
	char *buf = slurp(path, &size);
	int nblocks = block_ends(buf, size, ends), recs_per_block[] = { 2, 100, 100, 100, 1 };
	int tried = 0;

	CHECK(nblocks == 5);
	for (cut = 0; cut < size; cut += cut < 200 ? 1 : 97) {
		int complete = 0, want_records = 0, records, got;

		while (complete < nblocks && ends[complete] <= cut)
			want_records += recs_per_block[complete++];
		spit(cut_path, buf, cut);
		got = read_blocks(cut_path, &records, NULL);
		if (complete == 0) {
			CHECK(got == -1); /* nothing to salvage: refused */
		} else {
			CHECK(got == complete);
			CHECK(records == want_records);
		}
		tried++;
	}
	free(buf);
	printf("truncation at %d offsets: ok\n", tried);
}

/* A flipped byte inside block 3 keeps blocks 1 and 2. */
static void check_flipped_byte(const char *path, const char *bad_path)
{
	long size, ends[16];
	char *buf = slurp(path, &size);
	const char *want = "CRC mismatch";
	int records;

	block_ends(buf, size, ends);
	buf[ends[1] + sizeof(struct bf_block_hdr) + 40] ^= 0x20;
	spit(bad_path, buf, size);
	CHECK(read_blocks(bad_path, &records, &want) == 2);
	CHECK(records == 102);
	free(buf);
	printf("flipped byte: ok\n");
}

/* Append a stored block holding PAYLOAD with a correct CRC. */
static void append_block(FILE *f, int kind, const void *payload, uint32_t len, uint32_t nrec)
{
	struct bf_block_hdr bh = { BF_BLOCK_MAGIC, (uint8_t)kind, BF_CODEC_NONE, 0, len, len, nrec,
				   0 };

	bh.crc32 = (uint32_t)crc32(0, (const Bytef *)&bh, sizeof(bh));
	bh.crc32 = (uint32_t)crc32(bh.crc32, payload, len);
	CHECK(fwrite(&bh, sizeof(bh), 1, f) == 1);
	CHECK(fwrite(payload, 1, len, f) == len);
}

/*
 * A file with a good META block then a block whose single record is
 * HOSTILE (with a valid CRC): the reader keeps block 1, names the record.
 */
static void check_hostile(const char *path, const void *hostile, uint32_t len, const char *what)
{
	struct {
		struct meta_syscall m;
		char name[8];
	} good = { { { META_SYSCALL, sizeof(good), 0, 0, 0, 0, 0 }, 1, 0 }, "write" };
	struct bf_file_hdr fh = { BF_MAGIC, BF_VERSION, sizeof(fh), 0, 0 };
	const char *want = what;
	FILE *f = fopen(path, "wb");
	int records;

	CHECK(f && fwrite(&fh, sizeof(fh), 1, f) == 1);
	append_block(f, BF_BLK_META, &good, sizeof(good), 1);
	append_block(f, BF_BLK_EVENTS, hostile, len, 1);
	CHECK(fclose(f) == 0);
	CHECK(read_blocks(path, &records, &want) == 1);
	CHECK(records == 1);
}

static void check_hostile_sizes(const char *path)
{
	union {
		struct ev_syscall ev;
		char bytes[256];
	} r;
	static const uint16_t bad_sizes[] = { 0, 8, 23, 40, 100, 250, 0xfff8 };
	size_t i;

	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.ev.h.type = EV_SYSCALL;
		r.ev.h.size = bad_sizes[i];
		/* payload is 128 bytes: sizes above, below a header, or unaligned */
		check_hostile(path, &r, 128, bad_sizes[i] >= 24 && bad_sizes[i] < EV_SYSCALL_FIXED ?
						     "below its layout" : "bad size");
	}
	/* tail longer than the record */
	memset(&r, 0, sizeof(r));
	r.ev.h.type = EV_SYSCALL;
	r.ev.h.size = 128;
	r.ev.nargs = 6; /* tail after args[5], at byte 96 */
	r.ev.tail_kind = TAIL_PATHS;
	r.ev.tail_len = 64;
	check_hostile(path, &r, 128, "overruns");
	/* path without its NUL */
	r.ev.tail_len = 32;
	memset(r.bytes + sizeof(r.ev), 'x', 32);
	check_hostile(path, &r, 128, "unterminated");
	/* more arguments than a syscall has */
	r.ev.nargs = 7;
	r.ev.tail_len = 0;
	check_hostile(path, &r, 128, "arguments");
	/* an exit before the enter (durations would overflow) */
	r.ev.nargs = 6;
	r.ev.h.ts = 1000;
	r.ev.exit_ts = 999;
	check_hostile(path, &r, 128, "exits before");
	/* a failed socket call's tail: shorter than its ev_sock, or an
	 * address argument longer than a sockaddr_storage */
	memset(&r, 0, sizeof(r));
	r.ev.h.type = EV_SYSCALL;
	r.ev.h.size = 248;
	r.ev.nargs = 0; /* tail at byte 48: 200 bytes of room */
	r.ev.tail_kind = TAIL_SOCKADDR;
	r.ev.tail_len = sizeof(struct ev_sock) - 1;
	check_hostile(path, &r, 248, "bad socket address tail");
	r.ev.tail_len = sizeof(struct ev_sock) + BPFREC_SOCKADDR_MAX + 1;
	check_hostile(path, &r, 248, "bad socket address tail");
	/* a META_KV whose value runs off the end */
	memset(&r, 0, sizeof(r));
	r.ev.h.type = META_KV;
	r.ev.h.size = 32;
	memcpy(r.bytes + 24, "key\0valu", 8);
	check_hostile(path, &r, 32, "unterminated");
	printf("hostile sizes: ok\n");
}

/*
 * An intact block of a kind this reader does not know (a later writer's
 * large object) is skipped whole; the blocks around it are read.
 */
static void check_unknown_block_kind(const char *path)
{
	struct {
		struct meta_syscall m;
		char name[8];
	} good = { { { META_SYSCALL, sizeof(good), 0, 0, 0, 0, 0 }, 1, 0 }, "write" };
	struct bf_file_hdr fh = { BF_MAGIC, BF_VERSION, sizeof(fh), 0, 0 };
	static const char object[] = "a symbol table, not records";
	struct collected c = { 0 };
	struct tr_reader *r;
	struct an_err e;
	FILE *f = fopen(path, "wb");
	char *text = NULL;
	size_t len = 0;

	CHECK(f && fwrite(&fh, sizeof(fh), 1, f) == 1);
	append_block(f, BF_BLK_META, &good, sizeof(good), 1);
	append_block(f, 4, object, sizeof(object), 0);
	append_block(f, 200, object, sizeof(object), 0);
	append_block(f, BF_BLK_STOP, &good, sizeof(good), 1);
	CHECK(fclose(f) == 0);
	CHECK(tr_open(&r, path, &e) == 0);
	CHECK(tr_read(r, collect, &c, &e) == 0);
	CHECK(c.n == 2 && c.kind[0] == BF_BLK_META && c.kind[1] == BF_BLK_STOP);
	CHECK(tr_get_info(r)->blocks == 2 && tr_get_info(r)->skipped_blocks == 2);
	CHECK(tr_warning(r) == NULL);
	collected_free(&c);
	tr_close(r);
	/* and info says so */
	CHECK((f = open_memstream(&text, &len)) != NULL);
	CHECK(info_print(path, f, &e) == 0);
	CHECK(fclose(f) == 0);
	CHECK(strstr(text, "\nblocks:") && strstr(text, "2 of unknown kinds skipped\n"));
	free(text);
	printf("unknown block kinds skipped: ok\n");
}

/* Not a trace at all, and a bad version: refused with a reason. */
static void check_not_trace(const char *path)
{
	struct bf_file_hdr fh = { BF_MAGIC, BF_VERSION + 1, sizeof(fh), 0, 0 };
	struct tr_reader *r;
	struct an_err e;

	spit(path, "hello world, not a trace at all", 31);
	CHECK(tr_open(&r, path, &e) == -1 && strstr(e.msg, "not a bpfrec trace"));
	spit(path, (const char *)&fh, sizeof(fh));
	CHECK(tr_open(&r, path, &e) == -1 && strstr(e.msg, "version"));
	fh.version = BF_VERSION_MIN - 1; /* 0: never released */
	spit(path, (const char *)&fh, sizeof(fh));
	CHECK(tr_open(&r, path, &e) == -1 && strstr(e.msg, "version 0"));
	printf("not a trace: ok\n");
}

/*
 * A header flag this reader does not know (a later writer's "read me
 * differently") refuses the whole trace, the other bits named; an
 * otherwise good trace without it reads.
 */
static void check_unknown_flags(const char *path)
{
	static const uint32_t flags[] = { 1, 0x80000000u, 0x11 };
	struct bf_file_hdr fh;
	struct tr_reader *r;
	struct an_err e;
	char want[128];
	long size;
	char *buf;
	size_t i;

	write_trace(path, 1);
	CHECK(tr_open(&r, path, &e) == 0);
	tr_close(r);
	buf = slurp(path, &size);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		memcpy(&fh, buf, sizeof(fh));
		CHECK(fh.flags == 0); /* what the writer sets */
		fh.flags = flags[i];
		memcpy(buf, &fh, sizeof(fh));
		spit(path, buf, size);
		snprintf(want, sizeof(want), "unknown trace flags 0x%x (a newer recorder's: "
			 "this analyzer would misread the trace)", flags[i]);
		CHECK(tr_open(&r, path, &e) == -1);
		CHECK_STR(e.msg, want);
		fh.flags = 0;
		memcpy(buf, &fh, sizeof(fh));
	}
	free(buf);
	printf("unknown header flags refused: ok\n");
}

int main(void)
{
	char dir[] = "/tmp/test_reader.XXXXXX", path[128], other[128];

	CHECK(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.bpfrec", dir);
	snprintf(other, sizeof(other), "%s/bad.bpfrec", dir);
	check_round_trip(path, 3);
	check_round_trip(path, 0);
	check_truncation(path, other);
	check_flipped_byte(path, other);
	write_trace(path, 3);
	check_truncation(path, other);
	check_hostile_sizes(other);
	check_not_trace(other);
	check_unknown_flags(other);
	check_unknown_block_kind(other);
	unlink(path);
	unlink(other);
	rmdir(dir);
	return 0;
}
