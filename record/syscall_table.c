// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sys_info map's contents: each syscall's flags from bpf/syscalls.def
 * (by name, so any architecture), with its argument count from tracefs
 * when syscall records are taken.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bpfrec.h"
#include "syscall_info.h"
#include "syscall_table.h"
#include "tracefs.h"

static uint32_t flags_of(const char *name)
{
	const struct sysc_info *s = sysc_find(name);

	return s ? sysc_flags(s) : 0;
}

/* Fields after __syscall_nr in events/syscalls/sys_enter_NAME/format. */
static int nargs_of(const char *tracefs, const char *name)
{
	char path[256], line[512];
	int n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_%s/format", tracefs, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "__syscall_nr"))
			n = 0;
		else if (n >= 0 && strstr(line, "field:"))
			n++;
	}
	fclose(f);
	return n > 6 ? 6 : n;
}

void syscall_table_build(uint32_t flags[], unsigned int nflags, bool nargs, const char **source)
{
	/* each format read takes tracefs's event_mutex: skip ~370 of them
	 * when no syscall record needs the counts */
	const char *tracefs = nargs ? tracefs_dir() : NULL;

	if (!nargs)
		*source = "none (no syscall records)";
	else
		*source = tracefs ? tracefs : "none (tracefs unavailable): all six arguments kept";
	for (unsigned int i = 0; i < syscall_names_count; i++) {
		const struct syscall_name *s = &syscall_names[i];
		int nargs = tracefs ? nargs_of(tracefs, s->name) : -1;

		if ((unsigned int)s->nr >= nflags)
			continue;
		/* no format (not traceable, e.g. rt_sigreturn): keep all six */
		flags[s->nr] = flags_of(s->name) | SF_NARGS_SET(nargs < 0 ? 7 : nargs);
	}
}
