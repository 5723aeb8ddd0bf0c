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
	const char **tp_specs; /* -e's SYSTEM:EVENT names and globs (tracepoints group) */
	int ntp_specs;
	bool list; /* -l: list groups and tracepoints, record nothing */
	const char *list_glob; /* -l GLOB */
};

/* Parse ARGV into O. Returns 0, or exits with a usage message. */
int rec_parse_args(int argc, char **argv, struct rec_opts *o);

#endif /* BPFREC_OPTIONS_H */
