/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* This architecture's syscall names and what bpfrec needs to know of each. */
#ifndef BPFREC_SYSCALL_TABLE_H
#define BPFREC_SYSCALL_TABLE_H

#include <stdint.h>

struct syscall_name {
	int nr;
	const char *name;
};

/* Generated at build time (gen_syscall_names.py), sorted by nr. */
extern const struct syscall_name syscall_names[];
extern const unsigned int syscall_names_count;

/* SF_* flags (bpf/bpfrec.h) of the syscall named NAME, 0 if none. */
uint32_t syscall_flags(const char *name);

#endif /* BPFREC_SYSCALL_TABLE_H */
