// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "bpfrec.skel.h"
#include "probes.h"
#include "records.h"

struct probe_def {
	int group;
	const char *prog; /* program name in the bpf/ sources */
	const char *attach; /* attach point, for the record */
	bool follow; /* also needed to follow a command and its children */
};

/*
 * The files group shares the syscall programs: they record only SF_FILES
 * calls when the syscalls group is off (see bpf/syscalls.bpf.c).
 */
static const struct probe_def defs[] = {
	{ GRP_SYSCALLS, "sys_enter", "raw_tp/sys_enter" },
	{ GRP_SYSCALLS, "sys_exit", "raw_tp/sys_exit" },
	{ GRP_PROCESS, "sched_process_exec", "raw_tp/sched_process_exec", true },
	{ GRP_PROCESS, "sched_process_fork", "raw_tp/sched_process_fork", true },
	{ GRP_PROCESS, "task_newtask", "raw_tp/task_newtask" },
	{ GRP_PROCESS, "sched_process_exit", "raw_tp/sched_process_exit" },
	{ GRP_PROCESS, "sched_process_free", "raw_tp/sched_process_free", true },
	{ GRP_PROCESS, "task_rename", "raw_tp/task_rename" },
};

#define NPROBES (sizeof(defs) / sizeof(defs[0]))

struct probes {
	struct bpf_link *links[NPROBES];
};

static bool selected(const struct probe_def *d, const struct rec_opts *o)
{
	uint32_t g = o->groups;

	if (d->group == GRP_SYSCALLS)
		return g & ((1u << GRP_SYSCALLS) | (1u << GRP_FILES));
	return (g & (1u << d->group)) || (d->follow && o->command);
}

void probes_configure(struct bpfrec_bpf *skel, const struct rec_opts *o)
{
	for (size_t i = 0; i < NPROBES; i++) {
		struct bpf_program *prog =
			bpf_object__find_program_by_name(skel->obj, defs[i].prog);

		if (prog)
			bpf_program__set_autoload(prog, selected(&defs[i], o));
	}
}

static int emit_probe(struct bf_writer *w, const struct probe_def *d,
		      int status, const char *reason)
{
	struct meta_probe m = { .h.type = META_PROBE, .status = status,
				.group = d->group };
	const char *strs[] = { d->prog, d->attach, reason };

	return rec_emit(w, BF_BLK_META, &m, sizeof(m), strs, 3);
}

int probes_attach(struct probes **pp, struct bpfrec_bpf *skel,
		  const struct rec_opts *o, struct bf_writer *w)
{
	struct probes *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < NPROBES && !err; i++) {
		const struct probe_def *d = &defs[i];
		struct bpf_program *prog =
			bpf_object__find_program_by_name(skel->obj, d->prog);
		char reason[128];

		if (!prog || !bpf_program__autoload(prog)) {
			err = emit_probe(w, d, PROBE_SKIPPED, "group not selected");
			continue;
		}
		p->links[i] = bpf_program__attach(prog);
		if (!p->links[i]) {
			int aerr = -errno;

			snprintf(reason, sizeof(reason), "attach failed: %s",
				 strerror(-aerr));
			emit_probe(w, d, PROBE_FAILED, reason);
			fprintf(stderr, "record: %s: %s\n", d->attach, reason);
			err = aerr;
			break;
		}
		err = emit_probe(w, d, PROBE_ATTACHED,
				 (o->groups & (1u << d->group)) || d->group == GRP_SYSCALLS ?
					 "" : "to follow children only");
	}
	if (err) {
		probes_detach(p);
		return err;
	}
	*pp = p;
	return 0;
}

void probes_detach(struct probes *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < NPROBES; i++)
		bpf_link__destroy(p->links[i]);
	free(p);
}
