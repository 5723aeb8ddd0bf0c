/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The META block: everything an analysis on another host needs to make
 * sense of the events (host, kernel, clocks, syscall names, processes and
 * fds alive at start).
 */
#ifndef BPFREC_METADATA_H
#define BPFREC_METADATA_H

#include "options.h"
#include "trace_writer.h"

/* Host, kernel, clock offset, command line, groups and target. */
int meta_write_host(struct bf_writer *w, const struct rec_opts *o, int argc,
		    char **argv);

/* This architecture's syscall number -> name table, with argument counts
 * (SF_NARGS of SYS_FLAGS) and where they came from. */
int meta_write_syscalls(struct bf_writer *w, const uint32_t *sys_flags,
			const char *nargs_source);

/*
 * The processes the target can meet, with their threads and open fds:
 * every process in /proc for -a and -c, the process of -p, and for
 * -- COMMAND the recorder and LAUNCHED, the held command (fds it inherits).
 */
int meta_write_snapshot(struct bf_writer *w, const struct rec_opts *o, int launched);

#endif /* BPFREC_METADATA_H */
