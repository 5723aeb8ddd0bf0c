// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "info.h"
#include "trace_reader.h"

struct kv {
	char *key;
	char *value;
	int stop; /* from the STOP block */
};

struct info {
	struct kv *kvs;
	size_t nkv, cap;
	uint64_t syscalls, procs, fds;
	uint64_t probes[4]; /* by enum probe_status */
	uint64_t events[BF_EV_TYPE_END]; /* by enum ev_type */
	uint64_t drops[GRP_MAX + 1]; /* last: unknown group */
	uint64_t windows, win_first, win_last; /* META_DROP_WINDOW: number, span */
	uint64_t tps; /* META_TP: tracepoints recorded */
	char **filters; /* of those with a field filter, as -e gives them */
	size_t nfilters;
	int oom;
};

/* "system:event[@all]/EXPR/" of a META_TP with a field filter. */
static int add_filter(struct info *in, const struct meta_tp *m)
{
	const char *filter = tr_str(&m->h, sizeof(*m), 3);
	char **v, *s;

	if (!*filter)
		return 0;
	if (asprintf(&s, "%s:%s%s/%s/", m->strs, tr_str(&m->h, sizeof(*m), 1),
		     m->mode == TPF_ALL ? "@all" : "", filter) < 0)
		return -1;
	v = realloc(in->filters, (in->nfilters + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return -1;
	}
	in->filters = v;
	in->filters[in->nfilters++] = s;
	return 0;
}

/* A group number the table lacks (drops). */
static const char *group_name(int g)
{
	return g < GRP_MAX ? bf_group_names[g] : "other";
}

static int add_kv(struct info *in, const struct meta_kv *kv, int stop)
{
	const char *value = kv->strs + strlen(kv->strs) + 1;

	if (in->nkv == in->cap) {
		size_t ncap = in->cap ? in->cap * 2 : 32;
		struct kv *n = realloc(in->kvs, ncap * sizeof(*n));

		if (!n)
			return -1;
		in->kvs = n;
		in->cap = ncap;
	}
	in->kvs[in->nkv].key = strdup(kv->strs);
	in->kvs[in->nkv].value = strdup(value);
	in->kvs[in->nkv].stop = stop;
	if (!in->kvs[in->nkv].key || !in->kvs[in->nkv].value) {
		free(in->kvs[in->nkv].key);
		free(in->kvs[in->nkv].value);
		return -1;
	}
	in->nkv++;
	return 0;
}

static int on_record(void *ctx, int kind, const struct ev_hdr *h)
{
	struct info *in = ctx;

	switch (h->type) {
	case META_KV:
		if (add_kv(in, (const void *)h, kind == BF_BLK_STOP)) {
			in->oom = 1;
			return -1;
		}
		break;
	case META_SYSCALL:
		in->syscalls++;
		break;
	case META_TP:
		in->tps++;
		if (add_filter(in, (const void *)h)) {
			in->oom = 1;
			return -1;
		}
		break;
	case META_PROC:
		in->procs++;
		break;
	case META_FD:
		in->fds++;
		break;
	case META_PROBE: {
		const struct meta_probe *p = (const void *)h;

		if (p->status < 4)
			in->probes[p->status]++;
		break;
	}
	case META_DROPS: {
		const struct meta_drops *d = (const void *)h;

		in->drops[d->group < GRP_MAX ? d->group : GRP_MAX] += d->count;
		break;
	}
	case META_DROP_WINDOW: {
		const struct meta_drop_window *w = (const void *)h;

		if (!in->windows++ || w->start_ts < in->win_first)
			in->win_first = w->start_ts;
		if (h->ts > in->win_last)
			in->win_last = h->ts;
		break;
	}
	default:
		if (h->type < BF_EV_TYPE_END)
			in->events[h->type]++;
	}
	return 0;
}

static const char *get(const struct info *in, const char *key)
{
	size_t i;

	/* the last value wins: metadata may repeat later in the file */
	for (i = in->nkv; i-- > 0;)
		if (!strcmp(in->kvs[i].key, key))
			return in->kvs[i].value;
	return NULL;
}

/* When the losses happened: their windows' number and span, from the start. */
static void print_windows(FILE *fp, const struct info *in)
{
	const char *start = get(in, BF_KEY_START_TS);
	uint64_t t0 = start ? strtoull(start, NULL, 10) : 0;

	if (!in->windows)
		return;
	fprintf(fp, "%-16s %" PRIu64 ", losses between %.3f s and %.3f s\n", "drop windows:",
		in->windows, in->win_first > t0 ? (in->win_first - t0) / 1e9 : 0.0,
		in->win_last > t0 ? (in->win_last - t0) / 1e9 : 0.0);
}

static void line(FILE *fp, const char *label, const char *value)
{
	fprintf(fp, "%-16s %s\n", label, value ? value : "-");
}

static void print_time(FILE *fp, uint64_t created_ns)
{
	time_t t = (time_t)(created_ns / 1000000000);
	struct tm tm;
	char buf[64];

	if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm))
		line(fp, "created:", buf);
}

static void print_meta(FILE *fp, const struct info *in, const struct tr_info *ti,
		       const char *path)
{
	const char *rel = get(in, BF_KEY_KERNEL), *ver = get(in, BF_KEY_KERNEL_VERSION);
	char buf[512];

	line(fp, "trace:", path);
	snprintf(buf, sizeof(buf), "%" PRIu64 " bytes, format version %u", ti->file_size,
		 ti->version);
	line(fp, "file:", buf);
	print_time(fp, ti->created_ns);
	line(fp, "host:", get(in, BF_KEY_HOSTNAME));
	snprintf(buf, sizeof(buf), "%s %s (%s)", rel ? rel : "?", ver ? ver : "",
		 get(in, BF_KEY_MACHINE) ? get(in, BF_KEY_MACHINE) : "?");
	line(fp, "kernel:", buf);
	line(fp, "cpus:", get(in, BF_KEY_NCPUS));
	line(fp, "command:", get(in, BF_KEY_CMDLINE));
	line(fp, "target:", get(in, BF_KEY_TARGET));
	line(fp, "groups:", get(in, BF_KEY_GROUPS));
	if (in->tps) {
		snprintf(buf, sizeof(buf), "%" PRIu64 ", %zu with a field filter", in->tps,
			 in->nfilters);
		line(fp, "tracepoints:", buf);
	}
	for (size_t i = 0; i < in->nfilters; i++)
		line(fp, "field filter:", in->filters[i]);
	/* traces from before --no-args always recorded them */
	line(fp, "arguments:", get(in, BF_KEY_ARGUMENTS) ? get(in, BF_KEY_ARGUMENTS) : "recorded");
	snprintf(buf, sizeof(buf),
		 "%" PRIu64 " attached, %" PRIu64 " fallback, %" PRIu64 " failed, %" PRIu64
		 " skipped",
		 in->probes[PROBE_ATTACHED], in->probes[PROBE_FALLBACK], in->probes[PROBE_FAILED],
		 in->probes[PROBE_SKIPPED]);
	line(fp, "probes:", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " processes, %" PRIu64 " fds", in->procs, in->fds);
	line(fp, "snapshot:", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " names", in->syscalls);
	line(fp, "syscall table:", buf);
}

/* A raw wait status as the shell would tell it: "exit 5", "killed by SIGKILL". */
static void print_exit(FILE *fp, const char *raw)
{
	int st = (int)strtol(raw, NULL, 10);
	char buf[64];

	if (WIFEXITED(st)) {
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		/* Linux numbers are the same on the hosts bpfrec records */
		const char *name = sigabbrev_np(WTERMSIG(st));
		char sig[16];

		if (name)
			snprintf(sig, sizeof(sig), "SIG%s", name);
		else
			snprintf(sig, sizeof(sig), "signal %d", WTERMSIG(st));
		snprintf(buf, sizeof(buf), "killed by %s%s", sig,
			 WCOREDUMP(st) ? ", core dumped" : "");
	} else {
		snprintf(buf, sizeof(buf), "wait status %s", raw);
	}
	line(fp, "command exit:", buf);
}

static void print_stop(FILE *fp, const struct info *in, const struct tr_info *ti)
{
	const char *dur = get(in, BF_KEY_DURATION), *raw = get(in, BF_KEY_BYTES_RAW),
		   *stored = get(in, BF_KEY_BYTES_STORED);
	char buf[512];
	size_t n = 0;
	uint64_t total = 0;
	int i;

	if (!ti->has_stop) {
		line(fp, "stop:", "none (the recorder did not stop cleanly)");
	} else {
		if (dur) {
			snprintf(buf, sizeof(buf), "%.3f s", strtod(dur, NULL) / 1e9);
			line(fp, "duration:", buf);
		}
		line(fp, "stop reason:", get(in, BF_KEY_STOP_REASON));
		if (get(in, BF_KEY_EXIT_STATUS))
			print_exit(fp, get(in, BF_KEY_EXIT_STATUS));
		for (i = 0; i < GRP_MAX; i++) {
			char key[64];
			const char *v;

			snprintf(key, sizeof(key), "%s%s", BF_KEY_EVENTS_PREFIX, group_name(i));
			v = get(in, key);
			if (!v && i == GRP_TRACEPOINTS)
				continue; /* a trace older than the group */
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=%s", i ? ", " : "",
					      group_name(i), v ? v : "0");
		}
		line(fp, "events:", buf);
		for (i = 0, n = 0; i <= GRP_MAX; i++) {
			total += in->drops[i];
			if (in->drops[i])
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", %s=%" PRIu64,
						      group_name(i), in->drops[i]);
		}
		if (get(in, BF_KEY_DROPS) && strtoull(get(in, BF_KEY_DROPS), NULL, 10) > total)
			total = strtoull(get(in, BF_KEY_DROPS), NULL, 10);
		fprintf(fp, "%-16s %" PRIu64 "%s\n", "drops:", total, n ? buf : "");
		print_windows(fp, in);
		if (raw && stored) {
			double r = strtod(raw, NULL), s = strtod(stored, NULL);

			snprintf(buf, sizeof(buf), "raw %s, stored %s (%.1fx)", raw, stored,
				 s > 0 ? r / s : 0.0);
			line(fp, "bytes:", buf);
		}
	}
	/* what is actually in the file, whether or not it stopped cleanly */
	for (i = 0, n = 0; i < BF_EV_TYPE_END; i++)
		if (in->events[i])
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=%" PRIu64,
					      n ? ", " : "", bf_rec_desc(i)->name, in->events[i]);
	line(fp, "records:", n ? buf : "no events");
	n = (size_t)snprintf(buf, sizeof(buf),
			     "%" PRIu64 " (%" PRIu64 " bytes decoded, %" PRIu64 " stored)", ti->blocks,
			     ti->bytes_raw, ti->bytes_stored);
	if (ti->skipped_blocks)
		snprintf(buf + n, sizeof(buf) - n, ", %" PRIu64 " of unknown kinds skipped",
			 ti->skipped_blocks);
	line(fp, "blocks:", buf);
}

int info_print(const char *path, FILE *fp, struct an_err *e)
{
	struct info in = { 0 };
	struct tr_reader *r;
	int ret;
	size_t i;

	if (tr_open(&r, path, e))
		return -1;
	ret = tr_read(r, on_record, &in, e);
	if (ret && in.oom)
		an_errf(e, "out of memory");
	if (!ret) {
		const struct tr_info *ti = tr_get_info(r);

		if (tr_warning(r))
			fprintf(stderr, "analyze: warning: %s: %s\n", path, tr_warning(r));
		print_meta(fp, &in, ti, path);
		print_stop(fp, &in, ti);
		/* then every key verbatim: scripts and newer keys need no code here */
		fprintf(fp, "metadata:\n");
		for (i = 0; i < in.nkv; i++)
			fprintf(fp, "  %s%s = %s\n", in.kvs[i].stop ? "stop." : "", in.kvs[i].key,
				in.kvs[i].value);
	}
	for (i = 0; i < in.nkv; i++) {
		free(in.kvs[i].key);
		free(in.kvs[i].value);
	}
	free(in.kvs);
	for (i = 0; i < in.nfilters; i++)
		free(in.filters[i]);
	free(in.filters);
	tr_close(r);
	return ret ? -1 : 0;
}
