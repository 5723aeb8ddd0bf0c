// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "common.h"

int an_errf(struct an_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}
