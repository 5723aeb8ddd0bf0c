// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfrec.skel.h"
#include "probes.h"
#include "records.h"

enum feature {
	FEAT_NONE = 0,
	FEAT_BTF_TASK_STORAGE, /* tp_btf on raw_syscalls, task local storage */
	FEAT_COUNT
};

struct probe_def {
	int group;
	const char *prog, *attach; /* preferred variant */
	const char *fb_prog, *fb_attach; /* fallback, NULL: none */
	enum feature needs; /* what the preferred variant needs */
	bool follow; /* also needed to follow a command and its children */
};

/*
 * The files group shares the syscall programs: they record only SF_FILES
 * calls when the syscalls group is off (see bpf/syscalls.bpf.c).
 */
static const struct probe_def defs[] = {
	/* first in, last out: it must see every switch while sys_enter_btf runs */
	{ GRP_SYSCALLS, "sys_spill", "tp_btf/sched_switch", .needs = FEAT_BTF_TASK_STORAGE },
	{ GRP_SYSCALLS, "sys_enter_btf", "tp_btf/sys_enter", "sys_enter_raw",
	  "raw_tp/sys_enter", FEAT_BTF_TASK_STORAGE },
	{ GRP_SYSCALLS, "sys_exit_btf", "tp_btf/sys_exit", "sys_exit_raw",
	  "raw_tp/sys_exit", FEAT_BTF_TASK_STORAGE },
	{ GRP_PROCESS, "sched_process_exec", "raw_tp/sched_process_exec", .follow = true },
	{ GRP_PROCESS, "sched_process_fork", "raw_tp/sched_process_fork", .follow = true },
	{ GRP_PROCESS, "task_newtask", "raw_tp/task_newtask" },
	{ GRP_PROCESS, "sched_process_exit", "raw_tp/sched_process_exit" },
	{ GRP_PROCESS, "sched_process_free", "raw_tp/sched_process_free", .follow = true },
	{ GRP_PROCESS, "task_rename", "raw_tp/task_rename" },
};

#define NPROBES (sizeof(defs) / sizeof(defs[0]))

struct probe_state {
	bool selected;
	bool fallback; /* use the fallback variant */
	char reason[128]; /* why it falls back or is skipped */
	struct bpf_link *link;
};

struct probes {
	struct probe_state st[NPROBES];
};

static bool selected(const struct probe_def *d, const struct rec_opts *o)
{
	uint32_t g = o->groups;

	if (d->group == GRP_SYSCALLS)
		return g & ((1u << GRP_SYSCALLS) | (1u << GRP_FILES));
	return (g & (1u << d->group)) || (d->follow && o->command);
}

/* Why FEATURE is unusable here, or NULL when it is usable. */
static const char *missing(enum feature f, const struct rec_opts *o)
{
	static char why[96];
	struct btf *btf;
	bool ok;

	if (f == FEAT_NONE)
		return NULL;
	if (o->no_btf)
		return "--no-btf given";
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return "no kernel BTF for tp_btf";
	ok = btf__find_by_name_kind(btf, "btf_trace_sys_enter", BTF_KIND_TYPEDEF) > 0 &&
	     btf__find_by_name_kind(btf, "btf_trace_sys_exit", BTF_KIND_TYPEDEF) > 0;
	btf__free(btf);
	if (!ok)
		return "kernel BTF lacks the sys_enter/sys_exit tracepoints";
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) != 1) {
		snprintf(why, sizeof(why), "task storage maps unsupported");
		return why;
	}
	return NULL;
}

static void set_autoload(struct bpfrec_bpf *skel, const char *name, bool on)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(skel->obj, name);

	if (prog)
		bpf_program__set_autoload(prog, on);
}

int probes_configure(struct probes **pp, struct bpfrec_bpf *skel,
		     const struct rec_opts *o)
{
	struct probes *p = calloc(1, sizeof(*p));
	/* each feature probed once: loading the kernel's BTF takes milliseconds */
	const char *why_not[FEAT_COUNT] = { NULL };
	bool probed[FEAT_COUNT] = { false };
	bool task_storage = false;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < NPROBES; i++) {
		const struct probe_def *d = &defs[i];
		struct probe_state *s = &p->st[i];
		const char *why = NULL;

		s->selected = selected(d, o);
		if (s->selected && !probed[d->needs]) {
			why_not[d->needs] = missing(d->needs, o);
			probed[d->needs] = true;
		}
		why = s->selected ? why_not[d->needs] : NULL;
		if (!s->selected) {
			snprintf(s->reason, sizeof(s->reason), "group not selected");
		} else if (why && d->fb_prog) {
			s->fallback = true;
			snprintf(s->reason, sizeof(s->reason), "%s", why);
		} else if (why) { /* a helper of the preferred variants, not loaded */
			s->selected = false;
			snprintf(s->reason, sizeof(s->reason), "not needed: %s", why);
		} else if (!(o->groups & (1u << d->group)) && d->group != GRP_SYSCALLS) {
			snprintf(s->reason, sizeof(s->reason), "to follow children only");
		}
		set_autoload(skel, d->prog, s->selected && !s->fallback);
		if (d->fb_prog)
			set_autoload(skel, d->fb_prog, s->selected && s->fallback);
		if (s->selected && !s->fallback && d->needs == FEAT_BTF_TASK_STORAGE)
			task_storage = true;
	}
	/* Only the chosen variant's in-flight maps are created or sized. */
	bpf_map__set_autocreate(skel->maps.inflight_task, task_storage);
	bpf_map__set_autocreate(skel->maps.paths_task, task_storage);
	if (task_storage) {
		bpf_map__set_max_entries(skel->maps.inflight_hash, 1);
		bpf_map__set_max_entries(skel->maps.inflight_paths, 1);
	}
	*pp = p;
	return 0;
}

int probes_emit(struct bf_writer *w, int group, const char *prog, const char *attach,
		int status, const char *reason)
{
	struct meta_probe m = { .h.type = META_PROBE, .status = status,
				.group = group };
	const char *strs[] = { prog, attach, reason };

	return rec_emit(w, BF_BLK_META, &m, sizeof(m), strs, 3);
}

int probes_attach(struct probes *p, struct bpfrec_bpf *skel, struct bf_writer *w)
{
	int err = 0;

	for (size_t i = 0; i < NPROBES && !err; i++) {
		const struct probe_def *d = &defs[i];
		struct probe_state *s = &p->st[i];
		const char *name = s->fallback ? d->fb_prog : d->prog;
		const char *attach = s->fallback ? d->fb_attach : d->attach;
		struct bpf_program *prog;
		char reason[192];

		if (!s->selected) {
			err = probes_emit(w, d->group, d->prog, d->attach,
					 PROBE_SKIPPED, s->reason);
			continue;
		}
		prog = bpf_object__find_program_by_name(skel->obj, name);
		s->link = prog ? bpf_program__attach(prog) : NULL;
		if (!s->link) {
			int aerr = prog ? -errno : -ENOENT;

			snprintf(reason, sizeof(reason), "attach failed: %s", strerror(-aerr));
			probes_emit(w, d->group, name, attach, PROBE_FAILED, reason);
			fprintf(stderr, "record: %s: %s\n", attach, reason);
			return aerr;
		}
		err = probes_emit(w, d->group, name, attach,
				 s->fallback ? PROBE_FALLBACK : PROBE_ATTACHED, s->reason);
	}
	if (err)
		fprintf(stderr, "record: writing the trace: %s\n", strerror(-err));
	return err;
}

void probes_detach(struct probes *p)
{
	if (!p)
		return;
	for (size_t i = NPROBES; i-- > 0;) { /* the reverse of attaching */
		bpf_link__destroy(p->st[i].link);
		p->st[i].link = NULL;
	}
}

void probes_free(struct probes *p)
{
	probes_detach(p);
	free(p);
}
