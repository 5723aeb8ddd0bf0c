/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Moving records from the per-CPU BPF ring buffers, merged in time order, into the writer. */
#ifndef BPFREC_DRAIN_H
#define BPFREC_DRAIN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfrec.h"
#include "trace_writer.h"

struct drain;
struct bpf_map;

/*
 * One ring buffer of RING_BYTES per entry of EVENTS (an array of maps, one
 * entry per CPU), created and put in place, and the xrings of XRING_BYTES
 * each in XRINGS (loaded, its value size from drain_xring_value_size()):
 * call before the probes attach. SYS_FLAGS: SF_* per syscall number, used
 * to count files-group events.
 */
int drain_open(struct drain **dp, struct bpf_map *events, uint32_t ring_bytes,
	       struct bpf_map *xrings, uint32_t xring_bytes, struct bf_writer *w,
	       const uint32_t *sys_flags);

/* The value size of the xrings' map for XRING_BYTES (a power of two) of records. */
size_t drain_xring_value_size(uint32_t xring_bytes);

/* Wake drain_poll() also when FD is readable (a pidfd: a process ended). */
int drain_watch(struct drain *d, int fd);

/*
 * Wait up to TIMEOUT_MS for a batch or a watched fd, with SIGMASK in force
 * (signals blocked elsewhere cut the wait short, without a race), then
 * take whatever is pending (the kernel wakes us only per batch). Returns
 * records taken or a negative errno from the writer.
 */
int drain_poll(struct drain *d, int timeout_ms, const sigset_t *sigmask);

/* Take everything left; call after the probes are detached. */
int drain_all(struct drain *d);

/* Records taken per group; a files-group syscall also counts as syscalls. */
void drain_counts(const struct drain *d, uint64_t counts[GRP_MAX]);

void drain_close(struct drain *d);

#endif /* BPFREC_DRAIN_H */
