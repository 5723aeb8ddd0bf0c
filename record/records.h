/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Building variable-size metadata records: fixed part + NUL-terminated strings. */
#ifndef BPFREC_RECORDS_H
#define BPFREC_RECORDS_H

#include <stddef.h>

#include "trace_format.h"
#include "trace_writer.h"

/*
 * Append a record made of FIXED (fixed_len bytes, starting with an ev_hdr
 * whose type and other fields the caller set) followed by the NSTRS strings
 * (NULL counts as ""). Sets h.size, pads to 8 bytes. Strings longer than
 * the format allows are truncated.
 */
int rec_emit(struct bf_writer *w, int kind, const void *fixed, size_t fixed_len,
	     const char *const *strs, int nstrs);

/* A META_KV record. */
int rec_emit_kv(struct bf_writer *w, int kind, const char *key, const char *val);
int rec_emit_kv_u64(struct bf_writer *w, int kind, const char *key, uint64_t val);

/* CLOCK_MONOTONIC now, in ns: the clock of bpf_ktime_get_ns(). */
uint64_t mono_ns(void);

#endif /* BPFREC_RECORDS_H */
