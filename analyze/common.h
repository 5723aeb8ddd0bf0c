/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by every analyzer module: the error carrier. A failing function
 * fills it once and returns a negative value; only the caller that handles
 * the failure prints it, so each problem yields exactly one message.
 */
#ifndef AN_COMMON_H
#define AN_COMMON_H

#include <stdarg.h>

struct an_err {
	char msg[512];
};

/* Format the reason into E (if E is set) and return -1. */
__attribute__((format(printf, 2, 3))) int an_errf(struct an_err *e, const char *fmt, ...);

#define AN_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* AN_COMMON_H */
