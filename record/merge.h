/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The time-ordered merge of the per-CPU rings, over memory the caller
 * maps (record/drain.c) or fills (tests/unit/test_merge.c): no system
 * calls here.
 */
#ifndef BPFREC_MERGE_H
#define BPFREC_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfrec.h"

/*
 * One ring: a BPF ring buffer (8-byte kernel header per record, its data
 * mapped twice so that no record wraps) or an xring (struct xring_hdr: no
 * header, h.size is the length, a record runs into the slack past the end).
 */
struct merge_ring {
	bool x; /* an xring */
	unsigned long *consumer; /* ours to write */
	const unsigned long *producer;
	const unsigned char *data;
	size_t mask; /* the data's size - 1, a power of two */
	/* the merge's own */
	uint64_t cons, prod; /* our position, the producer's at the round's start */
	const struct ev_hdr *head; /* next committed record, or NULL */
	uint64_t key; /* its time */
};

/* Called per record in time order; non-zero stops the merge with that result. */
typedef int (*merge_emit_fn)(void *ctx, const void *rec, size_t size);

/* A ring in the merge's heap: its head's key, cached for the comparisons. */
struct merge_head {
	uint64_t key;
	int ring;
};

struct merge {
	struct merge_ring *rings; /* set up by the caller */
	struct merge_head *heap; /* the round's rings with a head due, oldest first */
	int nrings;
	bool held; /* the last round left records in their rings */
};

/* NRINGS rings, zeroed; 0 or -ENOMEM. */
int merge_init(struct merge *m, int nrings);
void merge_free(struct merge *m);

/*
 * Pass to EMIT, in time order, every record of the rings stamped up to
 * LIMIT, or all of them when a ring is a quarter full; then give their
 * space back (*consumer). Returns the records passed, or EMIT's non-zero
 * result (its record stays in the ring).
 */
int merge_round(struct merge *m, uint64_t limit, merge_emit_fn emit, void *ctx);

#endif /* BPFREC_MERGE_H */
