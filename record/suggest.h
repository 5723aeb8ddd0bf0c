/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The names closest to a misspelt one (edit distance), for errors such as
 * "no tracepoint matches 'sched:sched_swich' (closest: sched:sched_switch,
 * ...)" and "unknown field 'prev_pdi' (closest: prev_pid, ...)".
 */
#ifndef BPFREC_SUGGEST_H
#define BPFREC_SUGGEST_H

#include <stddef.h>

#define SUGGEST_N 3

struct suggest {
	const char *want;
	const char *name[SUGGEST_N]; /* the closest first; ties: the first offered */
	int dist[SUGGEST_N];
	int n;
};

void suggest_init(struct suggest *s, const char *want);

/* Offer NAME, which must outlive S. */
void suggest_add(struct suggest *s, const char *name);

/* "a, b, c" into BUF (CAP bytes); "" when nothing was offered. */
void suggest_list(const struct suggest *s, char *buf, size_t cap);

#endif /* BPFREC_SUGGEST_H */
