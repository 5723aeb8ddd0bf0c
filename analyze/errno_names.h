/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linux errno names by number, for the errno_names table: the generic ABI
 * (generated at build time from the installed headers) and the
 * kernel-internal codes 512-531.
 */
#ifndef AN_ERRNO_NAMES_H
#define AN_ERRNO_NAMES_H

struct errno_name {
	int num;
	const char *name;
};

extern const struct errno_name errno_names[];
extern const unsigned int errno_names_count;

#endif /* AN_ERRNO_NAMES_H */
