// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpfrec.skel.h"
#include "probes.h"
#include "records.h"
#include "tp_probe.h"

/* One tracepoint's attachment, -1 where not (or no longer) open. */
struct tp_link {
	int link_fd; /* the program's BPF link to the event */
	int perf_fd; /* the tracepoint's perf event */
};

struct tp_probe {
	const struct tp_set *set;
	struct bpf_map *drops;
	struct tp_link *att; /* by cookie */
};

void tp_probe_configure(struct bpfrec_bpf *skel, const struct tp_set *set)
{
	bool on = set->n > 0;

	bpf_program__set_autoload(skel->progs.tp_generic, on);
	if (!on) {
		bpf_map__set_max_entries(skel->maps.tp_attach, 1);
		bpf_map__set_max_entries(skel->maps.tp_drops, 1);
	}
	/* an entry per cookie, not TP_MAX: each is TP_TERMS_MAX terms */
	bpf_map__set_max_entries(skel->maps.tp_terms, set->n ?: 1);
}

static int emit_meta(struct bf_writer *w, const struct tp_sel *s)
{
	struct meta_tp m = { .h.type = META_TP, .id = s->at.id, .mode = s->at.mode };
	const char *strs[] = { s->sys, s->event, s->format, s->ff ? s->ff->text : NULL };

	return rec_emit(w, BF_BLK_META, &m, sizeof(m), strs, s->ff ? 4 : 3);
}

/*
 * The tracepoint's perf event, opened as libbpf would, and a BPF link of
 * PROG to it: two fds, closed one after the other by tp_probe_detach.
 * 0 or a negative errno.
 */
static int link_tp(struct tp_link *a, struct bpf_program *prog, uint32_t id, uint32_t cookie)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(attr),
					.config = id };
	LIBBPF_OPTS(bpf_link_create_opts, opts, .perf_event.bpf_cookie = cookie);
	int err;

	a->perf_fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (a->perf_fd < 0)
		return -errno;
	a->link_fd = bpf_link_create(bpf_program__fd(prog), a->perf_fd, BPF_PERF_EVENT, &opts);
	if (a->link_fd >= 0 && !ioctl(a->perf_fd, PERF_EVENT_IOC_ENABLE, 0))
		return 0;
	err = -errno;
	if (a->link_fd >= 0)
		close(a->link_fd);
	close(a->perf_fd);
	*a = (struct tp_link){ -1, -1 };
	return err;
}

static int attach_one(struct tp_probe *p, struct bpfrec_bpf *skel, uint32_t cookie,
		      struct bf_writer *w)
{
	const struct tp_sel *s = &p->set->v[cookie];
	char attach[160], reason[96] = "";
	int status = PROBE_ATTACHED, err;

	snprintf(attach, sizeof(attach), "tracepoint/%s/%s", s->sys, s->event);
	if (s->ff && bpf_map_update_elem(bpf_map__fd(skel->maps.tp_terms), &cookie, &s->ff->terms,
					 BPF_ANY))
		return -errno;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.tp_attach), &cookie, &s->at, BPF_ANY))
		return -errno;
	err = link_tp(&p->att[cookie], skel->progs.tp_generic, s->at.id, cookie);
	if (err) {
		snprintf(reason, sizeof(reason), "attach failed: %s", strerror(-err));
		fprintf(stderr, "record: %s:%s: %s\n", s->sys, s->event, reason);
		status = PROBE_FAILED;
	}
	return emit_meta(w, s) ?:
	       probes_emit(w, GRP_TRACEPOINTS, "tp_generic", attach, status, reason) ?:
	       (status == PROBE_FAILED);
}

int tp_probe_attach(struct tp_probe **pp, struct bpfrec_bpf *skel, const struct tp_set *set,
		    struct bf_writer *w)
{
	struct tp_probe *p = calloc(1, sizeof(*p));
	int err = 0, failed = 0;

	*pp = p;
	if (!p || !(p->att = calloc(set->n ?: 1, sizeof(*p->att))))
		return -ENOMEM;
	for (int i = 0; i < set->n; i++)
		p->att[i] = (struct tp_link){ -1, -1 };
	p->set = set;
	p->drops = skel->maps.tp_drops;
	for (int i = 0; i < set->n && err >= 0; i++) {
		err = attach_one(p, skel, i, w);
		failed += err > 0;
	}
	if (err < 0)
		fprintf(stderr, "record: attaching tracepoints: %s\n", strerror(-err));
	else if (set->n && failed == set->n)
		err = -ENOENT; /* each said why */
	return err < 0 ? err : 0;
}

#define DETACH_THREADS 16

struct detach_job {
	struct tp_link *att;
	int n, stride;
};

static void *unlink_some(void *arg)
{
	struct detach_job *j = arg;

	for (int i = 0; i < j->n; i += j->stride) {
		if (j->att[i].link_fd < 0)
			continue;
		ioctl(j->att[i].perf_fd, PERF_EVENT_IOC_DISABLE, 0);
		close(j->att[i].link_fd);
		j->att[i].link_fd = -1;
	}
	return NULL;
}

/*
 * Two waits for an RCU grace period per tracepoint (tens of ms each, more
 * under load). Closing the link waits with no lock held: several threads
 * close them, the waits overlap; the event stays open (disabled). Closing
 * the event waits holding the kernel's event_mutex: they take turns
 * whatever we do, so one thread closes them, and anyone else tracing (a
 * tracefs format read, a perf_event_open, another record starting) gets
 * the mutex between two closes instead of queueing behind all of ours.
 * Links a thread could not take are closed here.
 */
void tp_probe_detach(struct tp_probe *p)
{
	struct detach_job jobs[DETACH_THREADS] = { 0 };
	pthread_t tids[DETACH_THREADS];
	int nt, started = 0;

	if (!p || !p->att || !p->set->n)
		return;
	nt = p->set->n < DETACH_THREADS ? p->set->n : DETACH_THREADS;
	for (int t = 0; t < nt; t++) {
		jobs[t] = (struct detach_job){ p->att + t, p->set->n - t, nt };
		if (t && !pthread_create(&tids[t], NULL, unlink_some, &jobs[t]))
			started |= 1 << t;
	}
	unlink_some(&jobs[0]);
	for (int t = 1; t < nt; t++) {
		if (started & (1 << t))
			pthread_join(tids[t], NULL);
		else
			unlink_some(&jobs[t]);
	}
	for (int i = 0; i < p->set->n; i++) {
		if (p->att[i].perf_fd >= 0)
			close(p->att[i].perf_fd);
		p->att[i].perf_fd = -1;
	}
}

int tp_probe_write_drops(const struct tp_probe *p, struct bf_writer *w)
{
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	uint64_t *v;

	if (!p || !p->set->n)
		return 0;
	if (ncpu <= 0)
		return ncpu ?: -EINVAL;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < (uint32_t)p->set->n && !err; i++) {
		if (bpf_map_lookup_elem(bpf_map__fd(p->drops), &i, v)) {
			err = -errno;
			break;
		}
		for (int cpu = 0; cpu < ncpu && !err; cpu++) {
			struct meta_tp_drops m = { .h.type = META_TP_DROPS,
						   .h.size = sizeof(m),
						   .h.cpu = cpu,
						   .id = p->set->v[i].at.id,
						   .count = v[cpu] };

			if (v[cpu])
				err = bf_writer_append(w, BF_BLK_STOP, &m);
		}
	}
	free(v);
	return err;
}

void tp_probe_free(struct tp_probe *p)
{
	if (!p)
		return;
	tp_probe_detach(p);
	free(p->att);
	free(p);
}
