/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The stop summary: STOP block in the trace and the same lines on stderr. */
#ifndef BPFREC_SUMMARY_H
#define BPFREC_SUMMARY_H

#include <stdint.h>

#include "bpfrec.h"
#include "trace_writer.h"

struct rec_summary {
	uint64_t start_ts, stop_ts; /* CLOCK_MONOTONIC ns */
	uint64_t events[GRP_MAX];
	uint64_t drops[GRP_MAX]; /* summed over CPUs */
	const char *stop_reason;
	int exit_status; /* of -- COMMAND, -1 if none */
};

struct bpf_map;

/*
 * Read the per-CPU drop counters into S, write a META_DROP_WINDOW record
 * of the losses the probes did not report yet, and one META_DROPS record
 * per CPU and group that lost anything. Returns 0 or a negative errno.
 */
int summary_read_drops(struct rec_summary *s, struct bpf_map *drops,
		       struct bf_writer *w);

/* Write the STOP block's key/value records (before the writer closes). */
int summary_write(const struct rec_summary *s, struct bf_writer *w);

/* Print the summary for a human; STATS come from the closed writer. */
void summary_print(const struct rec_summary *s, const struct bf_writer_stats *st,
		   const char *path);

#endif /* BPFREC_SUMMARY_H */
