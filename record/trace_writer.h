/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Trace writer: collects records into blocks, compresses each block into
 * its own zstd frame, and appends it with a CRC32 so that everything written
 * before a crash stays readable. See record/FORMAT.md.
 */
#ifndef BPFREC_TRACE_WRITER_H
#define BPFREC_TRACE_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct bf_writer;

struct bf_writer_stats {
	uint64_t records;
	uint64_t bytes_raw; /* record bytes handed to the writer */
	uint64_t bytes_stored; /* bytes written to the file, headers included */
	uint64_t blocks;
};

/*
 * Write the file header to FD, a new file open for writing (record's comes
 * from outfile_create). The writer owns FD, closed on failure too.
 * level: zstd level, 0 stores blocks uncompressed.
 * Returns 0 or a negative errno; *wp is set only on success.
 */
int bf_writer_fdopen(struct bf_writer **wp, int fd, int level);

/* Append one record (its h.size bytes) to the current block of KIND; a
 * change of kind or a full block writes the pending block first. */
int bf_writer_append(struct bf_writer *w, int kind, const void *rec);

/* Write the pending block now (used on a timer so a crash loses little). */
int bf_writer_flush(struct bf_writer *w);

void bf_writer_stats(const struct bf_writer *w, struct bf_writer_stats *st);

/* Flush, fsync and close. Returns 0 or the first error seen. Frees W. */
int bf_writer_close(struct bf_writer *w);

#endif /* BPFREC_TRACE_WRITER_H */
