/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Running `record -- COMMAND`: the child is forked first and held until
 * the probes are attached and its pid is in the traced map, so nothing it
 * does after exec is missed.
 */
#ifndef BPFREC_LAUNCH_H
#define BPFREC_LAUNCH_H

#include <sys/types.h>

struct launch {
	pid_t pid;
	int go_fd; /* write end: one byte releases the child */
};

/* Fork a child that waits, then execs ARGV. Returns 0 or -errno. */
int launch_prepare(struct launch *l, char **argv);

/* Let the child exec. */
int launch_start(struct launch *l);

/* Kill a child that was never started (error paths). */
void launch_abort(struct launch *l);

#endif /* BPFREC_LAUNCH_H */
