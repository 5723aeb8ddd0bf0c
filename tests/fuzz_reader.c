// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: any bytes as a trace file go through the reader, the
 * importer and every report without crashing (hostile lengths, strings,
 * tails, blocks, and the odd values they put in report columns).
 * Build (clang, everything instrumented for coverage):
 *   CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
 *     -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
 * Run (CI: scripts/test-sanitize.sh, in build-asan):
 *   build-fuzz/tests/fuzz_reader -max_total_time=300 NEW_DIR tests/fuzz/corpus
 * The seeds in tests/fuzz/corpus/ and tests/data/: record-*, traces of `record -z 1 -c true`
 * in a PID namespace (unshare -pfm --mount-proc) for a small snapshot;
 * tracegen-*, the unit tests' traces (TG_KEEP_DIR=DIR test_import ...);
 * the rest derived from those by tests/fuzz/make_seeds.py; and inputs
 * that once crashed (named after the bug).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "embedded.h"
#include "importer.h"
#include "report.h"
#include "trace_reader.h"

static int count(void *ctx, int kind, const struct ev_hdr *h)
{
	(void)kind;
	(void)h;
	++*(long *)ctx;
	return 0;
}

/*
 * Give every block a valid CRC, or nearly every mutation would stop at the
 * CRC check and the record parsing behind it would never be reached.
 */
static void fix_crcs(uint8_t *buf, size_t size)
{
	size_t off = sizeof(struct bf_file_hdr);

	while (off + sizeof(struct bf_block_hdr) <= size) {
		struct bf_block_hdr bh;
		uLong crc;

		memcpy(&bh, buf + off, sizeof(bh));
		if (bh.stored_len > size - off - sizeof(bh))
			return;
		bh.crc32 = 0;
		crc = crc32(0L, (const Bytef *)&bh, sizeof(bh));
		bh.crc32 = crc32(crc, buf + off + sizeof(bh), bh.stored_len);
		memcpy(buf + off, &bh, sizeof(bh));
		off += sizeof(bh) + bh.stored_len;
	}
}

static char path[64];

/* libFuzzer exits through exit(): remove the one input file then */
__attribute__((destructor)) static void remove_input(void)
{
	if (path[0])
		unlink(path);
}

/* Every report on the imported DB, in one format chosen by the input's size. */
static void run_reports(sqlite3 *db, size_t size)
{
	static const struct rp_params any = { 0 };
	static FILE *devnull;
	struct an_err e;
	unsigned i;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	for (i = 0; i < embed_queries_count; i++)
		rp_run(db, embed_queries[i].name, &any, (enum out_format)(size % 3), devnull, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct tr_reader *r;
	struct im_stats st;
	struct an_err e;
	sqlite3 *db;
	long n = 0;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz_reader.%d.bpfrec", getpid());
	memcpy(buf, data, size);
	fix_crcs(buf, size);
	f = fopen(path, "wb");
	if (!buf || !f || fwrite(buf, 1, size, f) != size || fclose(f))
		abort();
	free(buf);
	if (tr_open(&r, path, &e) == 0) {
		tr_read(r, count, &n, &e);
		tr_close(r);
	}
	if (tr_open(&r, path, &e) == 0) {
		if (sqlite3_open(":memory:", &db) != SQLITE_OK)
			abort();
		if (im_import(db, r, path, &st, &e) == 0)
			run_reports(db, size);
		sqlite3_close(db);
		tr_close(r);
	}
	return 0;
}
