/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Probe points per group: which programs load (feature probing picks a
 * preferred variant or its fallback), attaching them, and the META_PROBE
 * records saying what attached, what fell back or was skipped, and why.
 */
#ifndef BPFREC_PROBES_H
#define BPFREC_PROBES_H

#include "options.h"
#include "trace_writer.h"

struct bpfrec_bpf;
struct probes;

/*
 * Before load: probe the kernel's features, choose each probe's variant and
 * turn off the programs and maps nothing selected needs.
 */
int probes_configure(struct probes **pp, struct bpfrec_bpf *skel,
		     const struct rec_opts *o);

/*
 * After load: attach every chosen program and write one META_PROBE record
 * per probe. Returns 0, or a negative errno after one line on stderr saying
 * which probe could not attach and why, or that the trace write failed.
 */
int probes_attach(struct probes *p, struct bpfrec_bpf *skel, struct bf_writer *w);

/* One META_PROBE record: PROG attached (or not: enum probe_status) at ATTACH. */
int probes_emit(struct bf_writer *w, int group, const char *prog, const char *attach,
		int status, const char *reason);

/* Detach everything: no new events after this returns. */
void probes_detach(struct probes *p);

/* Free P (detaching first). */
void probes_free(struct probes *p);

#endif /* BPFREC_PROBES_H */
