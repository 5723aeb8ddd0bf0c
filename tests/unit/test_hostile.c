// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile traces with valid CRCs: what a damaged or forged file may say
 * that a recorder never writes.
 *
 * Repeated metadata: a second META block names the syscalls again, one of
 * them differently, while an fd opened by a named call is still open (its
 * row points at that name). The first name of a number is kept, the
 * conflict is warned about, nothing is freed under the open fd (run under
 * ASan or valgrind: scripts/test-sanitize.sh). The rules: record/FORMAT.md,
 * "Recorder metadata".
 *
 * Decompression amplification: blocks of a few KB decoding to 64 MiB, or
 * within the size limit but over the expansion ratio, are refused from
 * their header (FORMAT.md, "Block"), and the writer never writes either.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "trace_reader.h"
#include "tracegen.h"

enum { NR_READ = 0, NR_WRITE = 1, NR_CLOSE = 3, NR_GETPPID = 110, NR_OPENAT = 257 };

#define AT_FDCWD_ ((uint64_t)-100)
#define MS(n) (1000000000ull + (uint64_t)(n)*1000000)

static const struct tg_name names[] = {
	{ NR_READ, "read" },
	{ NR_CLOSE, "close" },
	{ NR_OPENAT, "openat" },
};

/* the same table again, one name changed, one number added */
static const struct tg_name names_again[] = {
	{ NR_READ, "read" },
	{ NR_CLOSE, "dup" },
	{ NR_OPENAT, "openat" },
	{ NR_WRITE, "write" },
};

static void write_repeated_meta(const char *path)
{
	struct bf_writer *w = TG_START(path, names);

	tg_proc(w, 100, 1, MS(-500), "sh", "/bin/sh", "sh", "/home/u");
	tg_snap_thread(w, 100, 101, MS(-400), "worker");
	tg_fd(w, 100, 0, 0, "/dev/null");
	tg_syscall(w, MS(1), 1000, 100, 100, NR_OPENAT, 3, AT_FDCWD_, 0, 0, "a.txt");
	TG_SYSCALL_NAMES(w, names_again);
	tg_proc(w, 100, 1, MS(-500), "sh", "/bin/sh", "sh", "/home/u");
	tg_snap_thread(w, 100, 101, MS(-400), "worker2");
	tg_fd(w, 100, 0, 0, "/dev/zero");
	tg_syscall(w, MS(2), 1000, 100, 100, NR_WRITE, 5, 3, 0, 5, NULL);
	tg_syscall(w, MS(3), 1000, 100, 100, NR_READ, 2, 0, 0, 2, NULL);
	tg_syscall(w, MS(4), 1000, 100, 100, NR_CLOSE, 0, 3, 0, 0, NULL);
	tg_kv(w, BF_BLK_STOP, BF_KEY_DURATION, "5000000");
	tg_close(w);
}

static void test_repeated_meta(void)
{
	struct im_stats st;
	sqlite3 *db = tg_import(write_repeated_meta, &st);
	char *got;

	CHECK(st.syscalls == 4);
	/* the second snapshot of pid 100 (same start) is the same process */
	CHECK(st.processes == 1);
	got = tg_query(db, "SELECT tid, pid, proc_id, comm FROM threads ORDER BY tid");
	CHECK_STR(got, "100|100|1|sh\n101|100|1|worker2");
	free(got);
	got = tg_query(db, "SELECT nr, name FROM syscall_names ORDER BY nr");
	CHECK_STR(got, "0|read\n1|write\n3|close\n257|openat");
	free(got);
	/* the second snapshot of fd 0 ends the first as reused */
	got = tg_query(db, "SELECT fd, path, how, reads, bytes_read, writes, bytes_written,"
			   " closed_how FROM fds ORDER BY id");
	CHECK_STR(got, "0|/dev/null|snapshot|0|0|0|0|reused\n"
		       "3|/home/u/a.txt|openat|0|0|1|5|close\n"
		       "0|/dev/zero|snapshot|1|2|0|0|NULL");
	free(got);
	got = tg_query(db, "SELECT value FROM meta WHERE key = 'salvage_warning'");
	CHECK_STR(got, "syscall 3 named 'close', then 'dup': kept the first "
		       "(1 conflicting syscall name ignored)");
	free(got);
	sqlite3_close(db);
}

/*
 * Decompression amplification. AMP_RECORDS identical getppid records of
 * AMP_REC bytes fill a block; zstd shrinks them to almost nothing.
 */
#define AMP_REC 64 /* EV_SYSCALL_FIXED + 2 args */
/* getppid records of tg_syscall (96 bytes: six args) that fill a 1 MiB block */
#define AMP_WRITER_RECORDS ((1 << 20) / 96)

static void *amp_records(size_t raw_len)
{
	char *raw = malloc(raw_len);
	struct ev_syscall *ev;
	size_t off;

	CHECK(raw);
	for (off = 0; off < raw_len; off += AMP_REC) {
		ev = (struct ev_syscall *)(raw + off);
		memset(ev, 0, AMP_REC);
		ev->h.type = EV_SYSCALL;
		ev->h.size = AMP_REC;
		ev->h.pid = ev->h.tid = 100;
		ev->h.ts = MS(1);
		ev->exit_ts = MS(1) + 100;
		ev->nr = NR_GETPPID;
		ev->nargs = 2;
	}
	return raw;
}

/* Append to PATH NBLOCKS EVENTS blocks of RAW_LEN bytes of records, zstd-compressed. */
static void append_amp_blocks(const char *path, uint32_t raw_len, int nblocks)
{
	char *raw = amp_records(raw_len);
	size_t cap = ZSTD_compressBound(raw_len), n;
	struct bf_block_hdr *bh = malloc(sizeof(*bh) + cap);
	int fd = open(path, O_WRONLY | O_APPEND), i;
	size_t len;

	CHECK(bh && fd >= 0);
	n = ZSTD_compress(bh + 1, cap, raw, raw_len, 19);
	CHECK(!ZSTD_isError(n));
	*bh = (struct bf_block_hdr){ .magic = BF_BLOCK_MAGIC, .kind = BF_BLK_EVENTS,
				     .codec = BF_CODEC_ZSTD, .raw_len = raw_len,
				     .stored_len = (uint32_t)n, .nrecords = raw_len / AMP_REC };
	bh->crc32 = (uint32_t)crc32(crc32(0, (const Bytef *)bh, sizeof(*bh)),
				    (const Bytef *)(bh + 1), (uInt)n);
	len = sizeof(*bh) + n;
	for (i = 0; i < nblocks; i++)
		CHECK(write(fd, bh, len) == (ssize_t)len);
	CHECK(close(fd) == 0);
	free(bh);
	free(raw);
}

static int count_records(void *ctx, int kind, const struct ev_hdr *h)
{
	(void)kind;
	(void)h;
	++*(long *)ctx;
	return 0;
}

/* Read PATH: "ok: N records" and the reader's warning, or its error; static. */
static const char *read_trace(const char *path, struct tr_info *info)
{
	static char out[sizeof(((struct an_err *)0)->msg) + 512];
	struct tr_reader *r;
	struct an_err e;
	long n = 0;

	CHECK(tr_open(&r, path, &e) == 0);
	if (tr_read(r, count_records, &n, &e))
		snprintf(out, sizeof(out), "%s", e.msg);
	else
		snprintf(out, sizeof(out), "ok: %ld records%s%s", n, tr_warning(r) ? "; " : "",
			 tr_warning(r) ? tr_warning(r) : "");
	*info = *tr_get_info(r);
	tr_close(r);
	return out;
}

static long maxrss_kib(void)
{
	struct rusage ru;

	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	return ru.ru_maxrss;
}

/*
 * The trace: 13 blocks of one small zstd frame each decoding to
 * 64 MiB (the old limit), 603 MB once imported. Written by a child so
 * that this process's peak memory is the reader's: refused at the first
 * block header, before any allocation.
 */
static void test_amplified_64mib(void)
{
	char path[] = "/tmp/bpfrec-amp.XXXXXX", want[256];
	int fd = mkstemp(path), status;
	struct tr_info info;
	uint32_t stored;
	long rss0;
	pid_t pid;

	CHECK(fd >= 0);
	close(fd);
	pid = fork();
	if (!pid) {
		tg_close(tg_open(path, 0)); /* the file header */
		append_amp_blocks(path, 64u << 20, 13);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status));
	fd = open(path, O_RDONLY);
	CHECK(pread(fd, &stored, sizeof(stored), sizeof(struct bf_file_hdr) + 12) == 4);
	close(fd);
	snprintf(want, sizeof(want), "no complete block: block at offset 24: block of kind 2: "
		 "67108864 bytes decoded, %u stored: over the 4 MiB limit of its kind", stored);
	rss0 = maxrss_kib();
	CHECK_STR(read_trace(path, &info), want);
	/* the reader's buffers stay small: under 16 MiB more than before */
	CHECK(maxrss_kib() - rss0 < 16 << 10);
	tg_keep_or_unlink(path);
}

/* Within the size limit, over the expansion ratio: refused, the blocks before kept. */
static void test_amplified_ratio(void)
{
	char path[] = "/tmp/bpfrec-amp.XXXXXX", want[256];
	int fd = mkstemp(path);
	struct bf_writer *w;
	struct tr_info info;
	uint32_t stored, off;

	CHECK(fd >= 0);
	close(fd);
	w = tg_open(path, 1);
	tg_kv(w, BF_BLK_META, BF_KEY_START_TS, "1000000000");
	tg_close(w);
	append_amp_blocks(path, 1u << 20, 1);
	/* the file header, then the META block: 24 bytes of header and its payload */
	fd = open(path, O_RDONLY);
	CHECK(pread(fd, &off, sizeof(off), 24 + 12) == 4);
	off += 24 + 24;
	CHECK(pread(fd, &stored, sizeof(stored), off + 12) == 4);
	close(fd);
	CHECK(stored < (1u << 20) / BF_BLOCK_RATIO_MAX);
	snprintf(want, sizeof(want), "ok: 1 records; block at offset %u: block decodes 1048576 "
		 "bytes from %u: over the 256x expansion limit; salvaged the 1 good blocks before it",
		 off, stored);
	CHECK_STR(read_trace(path, &info), want);
	tg_keep_or_unlink(path);
}

/*
 * The writer never writes what readers refuse: a block as compressible as
 * the one above (a full block of identical records) is stored as is.
 */
static void write_compressible(const char *path)
{
	struct bf_writer *w = tg_open(path, 19);
	int i;

	for (i = 0; i < AMP_WRITER_RECORDS; i++)
		tg_syscall(w, MS(1), 100, 100, 100, NR_GETPPID, 99, 0, 0, 0, NULL);
	tg_close(w);
}

static void test_writer_ratio(void)
{
	char path[] = "/tmp/bpfrec-amp.XXXXXX";
	int fd = mkstemp(path);
	struct tr_info info;
	char want[160];

	CHECK(fd >= 0);
	close(fd);
	write_compressible(path);
	snprintf(want, sizeof(want), "ok: %d records; no STOP block: the recorder did not stop "
		 "cleanly; using everything written before", AMP_WRITER_RECORDS);
	CHECK_STR(read_trace(path, &info), want);
	/* one block, stored as is: its header and the raw records */
	CHECK(info.blocks == 1);
	CHECK(info.bytes_stored == info.bytes_raw + sizeof(struct bf_block_hdr));
	unlink(path);
}

int main(void)
{
	test_repeated_meta();
	test_amplified_64mib();
	test_amplified_ratio();
	test_writer_ratio();
	printf("hostile: ok\n");
	return 0;
}
