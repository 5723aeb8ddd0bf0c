/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Attaching the generic tracepoint program once per selected tracepoint
 * (each attachment's BPF cookie indexes its struct tp_attach), the META_TP
 * records that make the trace describe them, and their drops at stop.
 */
#ifndef BPFREC_TP_PROBE_H
#define BPFREC_TP_PROBE_H

#include "trace_writer.h"
#include "tracepoints.h"

struct bpfrec_bpf;
struct tp_probe;

/* Before load: the program and its maps only when SET has tracepoints. */
void tp_probe_configure(struct bpfrec_bpf *skel, const struct tp_set *set);

/*
 * After load: describe, attach and record each tracepoint of SET (META_TP,
 * META_PROBE). One that fails to attach is a warning and a failed probe,
 * unless none attaches. Returns 0 or a negative errno after one message.
 */
int tp_probe_attach(struct tp_probe **pp, struct bpfrec_bpf *skel, const struct tp_set *set,
		    struct bf_writer *w);

/* No new events after this returns. */
void tp_probe_detach(struct tp_probe *p);

/* At stop: per CPU and tracepoint, the records lost (META_TP_DROPS). */
int tp_probe_write_drops(const struct tp_probe *p, struct bf_writer *w);

void tp_probe_free(struct tp_probe *p);

#endif /* BPFREC_TP_PROBE_H */
