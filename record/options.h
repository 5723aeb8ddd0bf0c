/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command line of `record`. */
#ifndef BPFREC_OPTIONS_H
#define BPFREC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

struct rec_opts {
	const char *output;
	uint32_t groups; /* bit per enum ev_group */
	bool all; /* -a: whole system */
	int pid; /* -p: one process (0: none) */
	const char *comm; /* -c: by command name */
	double duration; /* seconds, 0: until stopped */
	char **command; /* after --, NULL-terminated, or NULL */
	int level; /* zstd level, 0: uncompressed */
	uint64_t buffer_bytes; /* ring buffer size */
	uint64_t wakeup_bytes; /* pending bytes that wake the recorder */
	bool verbose;
	bool no_btf; /* use the fallback probes (raw_tp + hash map) */
	bool no_args; /* drop argument strings: exec argv, snapshot cmdlines */
	uint32_t given; /* bit per entry of options.c's table given on the command line */
	const char **tp_specs; /* -e's SYSTEM:EVENT names and globs (tracepoints group) */
	int ntp_specs;
	bool list; /* -l: list groups and tracepoints, record nothing */
	const char *list_glob; /* -l GLOB */
};

#define REC_PID_MAX (1 << 22) /* the kernel's PID_MAX_LIMIT on 64-bit */
#define REC_RING_MAX (1ull << 31) /* the largest power of two in max_entries (u32) */

/*
 * BYTES fits a BPF ring buffer: a power of two multiple of the page size
 * (kernel/bpf/ringbuf.c; libbpf rounds other sizes up, so that an odd one
 * fails at load as "Invalid argument" once rounded past REC_RING_MAX).
 */
bool rec_ring_size_ok(uint64_t bytes);
/*
 * --buffer-size is split into one ring per CPU: the size of each for TOTAL
 * bytes in all, the largest that fits (a power of two, at least a page).
 */
uint32_t rec_ring_per_cpu(uint64_t total, int ncpu);

/* Parse ARGV into O. Returns 0, or exits with a usage message. */
int rec_parse_args(int argc, char **argv, struct rec_opts *o);
/* Free what rec_parse_args() allocated in O. */
void rec_opts_free(struct rec_opts *o);

#endif /* BPFREC_OPTIONS_H */
