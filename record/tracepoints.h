/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Generic tracepoints on the recorder's side, from tracefs: resolving the
 * SYSTEM:EVENT names and globs of `record -e` (an unknown one is an error
 * naming the closest existing ones), their formats, and `record -l`.
 */
#ifndef BPFREC_TRACEPOINTS_H
#define BPFREC_TRACEPOINTS_H

#include <stdbool.h>
#include <stdint.h>

#include "bpfrec.h"

/* One tracepoint to record. */
struct tp_sel {
	char sys[64], event[64];
	char *format; /* the tracefs format file */
	struct tp_attach at; /* what the BPF program copies, and its filter */
};

struct tp_set {
	struct tp_sel *v;
	int n;
};

/*
 * The tracepoints SPECS name: "SYSTEM:EVENT" with fnmatch globs, each
 * optionally ending in "@all" (recorded in every task's context, see enum
 * tp_filter). Duplicates are kept once. Returns 0, or -1 after one message
 * on stderr (an unknown name, with the closest existing ones).
 */
int tp_resolve(struct tp_set *set, const char *const *specs, int nspecs);

void tp_set_free(struct tp_set *set);

/*
 * `record -l [GLOB]`: every group and tracepoint (matching GLOB) with its
 * availability; VERBOSE: each tracepoint's fields too. Returns an exit code.
 */
int tp_list(const char *glob, bool verbose);

#endif /* BPFREC_TRACEPOINTS_H */
