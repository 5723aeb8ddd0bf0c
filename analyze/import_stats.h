/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Syscall statistics: calls, errors and a latency histogram per (process,
 * syscall), counted in memory during the import and written at its end as
 * syscall_stats and syscall_hist, so that the reports need no index on
 * the largest table.
 */
#ifndef AN_IMPORT_STATS_H
#define AN_IMPORT_STATS_H

#include <stdint.h>

#include "bpfrec.h"

/*
 * Latency histogram buckets of syscall_hist: k = 0 holds 0..1 us, k >= 1
 * holds 2^k .. 2^(k+1) - 1 us.
 */
#define ISTAT_BUCKETS 46

/* The syscall_stats and syscall_hist rows of one (process, syscall, comm). */
struct istat {
	uint64_t key; /* proc_id << 32 | nr */
	struct istat *next; /* the same key under another comm */
	char comm[BPFREC_COMM_LEN + 1]; /* the thread's name at the calls */
	int64_t proc_id;
	uint32_t pid;
	int32_t nr;
	uint64_t calls, errors, lat_calls;
	uint64_t lat_sum; /* unsigned: hostile traces may overflow it, harmlessly */
	int64_t lat_max;
	uint64_t hist[ISTAT_BUCKETS];
};

struct importer;

/*
 * Count EV in the summaries of (PROC_ID, nr, COMM), COMM the calling
 * thread's name at the time; -1 with im->e set.
 */
int istat_count(struct importer *im, const struct ev_syscall *ev, int64_t proc_id,
		const char *comm);
/* Write syscall_stats and syscall_hist, ordered by process, nr and comm. */
int istat_put(struct importer *im);
/* Free a sc_stats entry and the others of its key (hm_fini_free). */
void istat_free(void *st);

#endif /* AN_IMPORT_STATS_H */
