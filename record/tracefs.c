// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#include "tracefs.h"

static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

static int has_events(const char *root)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/events/syscalls", root);
	return access(path, R_OK) == 0;
}

const char *tracefs_dir(void)
{
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (has_events(roots[i]))
			return roots[i];
	if (mount("nodev", roots[0], "tracefs", 0, NULL) == 0 && has_events(roots[0]))
		return roots[0];
	return NULL;
}
