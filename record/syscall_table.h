/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* This architecture's syscall names and what bpfrec needs to know of each. */
#ifndef BPFREC_SYSCALL_TABLE_H
#define BPFREC_SYSCALL_TABLE_H

#include <stdbool.h>
#include <stdint.h>

struct syscall_name {
	int nr;
	const char *name;
};

/* Generated at build time (gen_syscall_names.py), sorted by nr. */
extern const struct syscall_name syscall_names[];
extern const unsigned int syscall_names_count;

/*
 * SF_* flags (bpf/bpfrec.h) per syscall number, with the argument counts
 * read from the kernel's tracefs syscall formats if NARGS (else 7, unknown).
 * *SOURCE says where the counts came from (a tracefs path, or why not).
 */
void syscall_table_build(uint32_t flags[], unsigned int nflags, bool nargs,
			 const char **source);

#endif /* BPFREC_SYSCALL_TABLE_H */
