/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trace reader: opens a .bpfrec file, checks the header, then walks the
 * blocks: length limits, CRC, zstd decoding, and a bounds check of every
 * record (size, tails, string terminators) before any record is handed
 * out, so consumers can trust lengths and strings. Records of types
 * bpf/records.def lacks are skipped and counted in tr_info.skipped_records, with a
 * warning, when their type lies in the defined ranges (a newer recorder
 * may add types), and the block is bad otherwise. At the first bad block
 * the reader stops and keeps what came before (salvage), leaving one
 * warning in tr_warning().
 */
#ifndef AN_TRACE_READER_H
#define AN_TRACE_READER_H

#include <stdint.h>

#include "common.h"
#include "trace_format.h"

struct tr_reader;

struct tr_info {
	uint64_t file_size;
	int64_t mtime_ns;
	uint16_t version;
	uint64_t created_ns; /* CLOCK_REALTIME from the file header */
	/* filled by tr_read() */
	uint64_t blocks; /* good blocks */
	uint64_t records;
	uint64_t bytes_raw; /* decoded payload bytes of good blocks */
	uint64_t bytes_stored; /* file bytes of good blocks, headers included */
	int has_stop; /* a STOP block was read */
	uint64_t skipped_blocks; /* intact blocks of kinds this reader does not know */
	uint64_t skipped_records; /* records of types bpf/records.def lacks: not handed out */
};

/*
 * Called for each record of each good block, in file order. KIND is the
 * enum bf_block_kind of its block. A nonzero return stops tr_read(), which
 * then returns that value.
 */
typedef int (*tr_record_fn)(void *ctx, int kind, const struct ev_hdr *h);

/* Open PATH and check its header. Returns 0 or -1 with the reason in E. */
int tr_open(struct tr_reader **rp, const char *path, struct an_err *e);
void tr_close(struct tr_reader *r);

/*
 * Deliver every record of every good block to FN. Returns 0 (possibly
 * after salvaging: see tr_warning()), -1 with E set when the file holds no
 * good block at all or cannot be read, or the callback's nonzero value.
 */
int tr_read(struct tr_reader *r, tr_record_fn fn, void *ctx, struct an_err *e);

/* Why reading stopped early, or NULL after a clean read with a STOP block. */
const char *tr_warning(const struct tr_reader *r);
const struct tr_info *tr_get_info(const struct tr_reader *r);

/*
 * Check one record against the layout of its type (bpf/records.def).
 * Returns 0, 1 for a type records.def lacks in the defined ranges (a newer
 * recorder's: to be skipped), or -1 with E set.
 */
int tr_check_record(const struct ev_hdr *h, struct an_err *e);

/*
 * String N (from 0) of the strings after the FIXED bytes of a checked
 * record, or "" when the record has fewer (optional trailing strings).
 */
const char *tr_str(const struct ev_hdr *h, size_t fixed, int n);

/* Longest syscall tail a reader accepts: two paths. */
#define TR_SYSCALL_TAIL_MAX (2 * BPFREC_PATH_MAX)

/* The tail of an ev_syscall as handed out by tr_read(), which expands the
 * stored record: all six args, then the tail. */
static inline const char *tr_syscall_tail(const struct ev_syscall *ev)
{
	return (const char *)(ev + 1);
}

#endif /* AN_TRACE_READER_H */
