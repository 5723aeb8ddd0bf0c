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
#include "tp_field_filter.h"

/* One tracepoint to record. */
struct tp_sel {
	char sys[64], event[64];
	char *format; /* the tracefs format file */
	struct tp_attach at; /* what the BPF program copies, and its filter */
	struct tp_field_filter *ff; /* its field filter, NULL: none */
};

struct tp_set {
	struct tp_sel *v;
	int n;
};

#define TP_RESOLVE_USAGE (-2) /* a bad field filter: a usage error */

/*
 * The tracepoints SPECS name: "SYSTEM:EVENT[@all][/EXPR/]", fnmatch globs
 * in the name, "@all" recording it in every task's context (see enum
 * tp_filter), EXPR a field filter (tp_field_filter.h) compiled for each
 * tracepoint the name matches. Duplicates are kept once; with different
 * field filters they are an error. Returns 0, or after one message on
 * stderr -1 (an unknown name, with the closest existing ones) or
 * TP_RESOLVE_USAGE (a filter that does not parse or fit the format).
 */
int tp_resolve(struct tp_set *set, const char *const *specs, int nspecs);

void tp_set_free(struct tp_set *set);

/*
 * `record -l [GLOB]`: every group and tracepoint (matching GLOB) with its
 * availability; VERBOSE: each tracepoint's fields too. Returns an exit code.
 */
int tp_list(const char *glob, bool verbose);

#endif /* BPFREC_TRACEPOINTS_H */
