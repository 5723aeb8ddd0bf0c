// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tp_format.h"
#include "trace_format.h"
#include "tracefs.h"
#include "tracepoints.h"

#define FORMAT_MAX 65536 /* the kernel's largest format file is ~6 KiB */
#define TP_FILTER_ALL_SUFFIX "@all"

/* Every SYSTEM:EVENT under tracefs, sorted. */
struct tp_names {
	char **v;
	int n;
};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_name(struct tp_names *t, const char *sys, const char *event)
{
	char **v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->v = v;
	if (asprintf(&t->v[t->n], "%s:%s", sys, event) < 0)
		return -ENOMEM;
	t->n++;
	return 0;
}

static void names_free(struct tp_names *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

static int list_events(const char *root, const char *sys, struct tp_names *t)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int err = 0;

	snprintf(path, sizeof(path), "%s/events/%s", root, sys);
	d = opendir(path);
	if (!d)
		return 0; /* a file (enable, header_page...): not a system */
	while (!err && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		err = add_name(t, sys, de->d_name);
	}
	closedir(d);
	return err;
}

/* The tracefs root, with an error on stderr when there is none. */
static const char *root_or_complain(void)
{
	const char *root = tracefs_dir();

	if (!root)
		fprintf(stderr, "record: tracefs not found and cannot be mounted "
				"(mount -t tracefs nodev /sys/kernel/tracing)\n");
	return root;
}

static int tp_names_read(const char *root, struct tp_names *t)
{
	char path[512];
	struct dirent *de;
	DIR *d;
	int err = 0;

	*t = (struct tp_names){ 0 };
	snprintf(path, sizeof(path), "%s/events", root);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!err && (de = readdir(d)))
		if (de->d_name[0] != '.' && de->d_type == DT_DIR)
			err = list_events(root, de->d_name, t);
	closedir(d);
	if (!err)
		qsort(t->v, t->n, sizeof(*t->v), by_str);
	return err;
}

/* The format file of SYS:EVENT, NUL-terminated, or NULL with errno set. */
static char *read_format(const char *root, const char *sys, const char *event)
{
	char path[512], *buf;
	ssize_t n, len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", root, sys, event);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(FORMAT_MAX);
	while (buf && (n = read(fd, buf + len, FORMAT_MAX - 1 - len)) > 0)
		len += n;
	close(fd);
	if (buf)
		buf[len] = 0;
	return buf;
}

/* Levenshtein distance, for suggestions. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[128], prev, tmp;

	if (lb >= sizeof(row) / sizeof(row[0]))
		return 1 << 20;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev + (a[i - 1] != b[j - 1]);

			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* "record: no tracepoint 'X' (closest: a, b, c)" */
static void complain_unknown(const char *spec, const struct tp_names *t)
{
	int best[3] = { -1, -1, -1 }, bd[3] = { 1 << 30, 1 << 30, 1 << 30 };

	for (int i = 0; i < t->n; i++) {
		int d = distance(spec, t->v[i]);

		for (int k = 0; k < 3; k++) {
			if (d >= bd[k])
				continue;
			memmove(&best[k + 1], &best[k], (2 - k) * sizeof(best[0]));
			memmove(&bd[k + 1], &bd[k], (2 - k) * sizeof(bd[0]));
			best[k] = i;
			bd[k] = d;
			break;
		}
	}
	fprintf(stderr, "record: no tracepoint matches '%s' on this kernel", spec);
	for (int k = 0; k < 3 && best[k] >= 0; k++)
		fprintf(stderr, "%s%s", k ? ", " : " (closest: ", t->v[best[k]]);
	fprintf(stderr, "%s; record -l lists them\n", best[0] >= 0 ? ")" : "");
}

/* Fill S's BPF description from its format. 0, or -EINVAL with WHY set. */
static int describe(struct tp_sel *s, const char **why)
{
	struct tp_format *f = malloc(sizeof(*f));
	int err = -EINVAL;

	*why = "cannot parse its format";
	if (!f || tpf_parse(s->format, f))
		goto out;
	*why = "its fixed part is larger than the copy bound";
	if (f->fixed_size > TP_DATA_MAX)
		goto out;
	s->at.id = f->id;
	s->at.fixed_size = f->fixed_size;
	s->at.nloc = 0;
	for (int i = 0; i < f->nfields; i++) {
		const struct tpf_field *fl = &f->fields[i];

		if (!(fl->flags & (TPF_F_DATA_LOC | TPF_F_REL_LOC)))
			continue;
		*why = "too many __data_loc fields";
		if (s->at.nloc == TP_LOC_MAX)
			goto out;
		s->at.loc_off[s->at.nloc++] =
			fl->offset | (fl->flags & TPF_F_REL_LOC ? TP_LOC_REL : 0);
	}
	err = 0;
out:
	free(f);
	return err;
}

static int add_sel(struct tp_set *set, const char *root, const char *name, uint8_t mode,
		   const char **why)
{
	const char *colon = strchr(name, ':');
	struct tp_sel *s, *v;

	v = realloc(set->v, (set->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	set->v = v;
	s = &set->v[set->n];
	memset(s, 0, sizeof(*s));
	snprintf(s->sys, sizeof(s->sys), "%.*s", (int)(colon - name), name);
	snprintf(s->event, sizeof(s->event), "%s", colon + 1);
	for (int i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].sys, s->sys) && !strcmp(set->v[i].event, s->event))
			return 0; /* named twice */
	s->at.mode = mode;
	s->format = read_format(root, s->sys, s->event);
	*why = "its format is unreadable";
	if (!s->format)
		return -EINVAL;
	if (describe(s, why)) {
		free(s->format);
		return -EINVAL;
	}
	set->n++;
	return 0;
}

/* One spec: its matches, or an error. */
static int resolve_one(struct tp_set *set, const char *root, const struct tp_names *t,
		       const char *spec_in)
{
	char spec[256];
	size_t len = strlen(spec_in), sl = strlen(TP_FILTER_ALL_SUFFIX);
	uint8_t mode = TPF_CURRENT;
	bool glob;
	int matched = 0;

	if (len >= sizeof(spec)) {
		fprintf(stderr, "record: tracepoint name too long: '%s'\n", spec_in);
		return -1;
	}
	memcpy(spec, spec_in, len + 1);
	if (len > sl && !strcmp(spec + len - sl, TP_FILTER_ALL_SUFFIX)) {
		spec[len - sl] = 0;
		mode = TPF_ALL;
	}
	glob = strpbrk(spec, "*?[") != NULL;
	for (int i = 0; i < t->n; i++) {
		const char *why;
		int err;

		if (fnmatch(spec, t->v[i], 0))
			continue;
		matched++;
		err = add_sel(set, root, t->v[i], mode, &why);
		if (err == -ENOMEM) {
			fprintf(stderr, "record: out of memory\n");
			return -1;
		}
		if (err && !glob) {
			fprintf(stderr, "record: tracepoint %s unavailable: %s\n", t->v[i], why);
			return -1;
		}
		if (err) /* a glob takes what is available; -l says why not */
			fprintf(stderr, "record: skipping %s: %s\n", t->v[i], why);
	}
	if (!matched) {
		complain_unknown(spec, t);
		return -1;
	}
	return 0;
}

int tp_resolve(struct tp_set *set, const char *const *specs, int nspecs)
{
	struct tp_names t;
	const char *root;
	int err = 0;

	*set = (struct tp_set){ 0 };
	if (!nspecs)
		return 0;
	root = root_or_complain();
	if (!root)
		return -1;
	if (tp_names_read(root, &t)) {
		fprintf(stderr, "record: reading %s/events: %s\n", root, strerror(errno));
		return -1;
	}
	for (int i = 0; i < nspecs && !err; i++)
		err = resolve_one(set, root, &t, specs[i]);
	names_free(&t);
	if (!err && set->n > TP_MAX) {
		fprintf(stderr, "record: %d tracepoints selected, at most %d\n", set->n, TP_MAX);
		err = -1;
	}
	if (err)
		tp_set_free(set);
	return err;
}

void tp_set_free(struct tp_set *set)
{
	for (int i = 0; i < set->n; i++)
		free(set->v[i].format);
	free(set->v);
	*set = (struct tp_set){ 0 };
}

static const char *const kind_sql[] = { "INTEGER", "INTEGER", "TEXT", "BLOB" };

static void print_fields(const char *format)
{
	struct tp_format *f = malloc(sizeof(*f));

	if (f && !tpf_parse(format, f))
		for (int i = 0; i < f->nfields; i++) {
			const struct tpf_field *fl = &f->fields[i];

			if (fl->flags & TPF_F_COMMON)
				continue;
			printf("    %-24s %-28s offset %u, size %u, %s%s\n", fl->name, fl->type,
			       fl->offset, fl->size, kind_sql[fl->kind],
			       fl->kind == TPF_UINT ? " (unsigned)" : "");
		}
	free(f);
}

/* The tracepoint a hand-built group rests on: it is available if that is. */
static const char *const group_tp[GRP_MAX] = {
	[GRP_SYSCALLS] = "raw_syscalls/sys_enter",
	[GRP_FILES] = "raw_syscalls/sys_enter",
	[GRP_PROCESS] = "sched/sched_process_exec",
	[GRP_TRACEPOINTS] = "",
};

static const char *avail_of(const char *root, const char *sys_event)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/events/%s/format", root, sys_event);
	return access(path, R_OK) ? "unavailable" : "available";
}

int tp_list(const char *glob, bool verbose)
{
	const char *root = root_or_complain();
	struct tp_names t;
	int shown = 0;

	if (!root)
		return 1;
	for (int g = 0; g < GRP_MAX; g++)
		if (!glob || !fnmatch(glob, bf_group_names[g], 0)) {
			printf("%-40s group       %s\n", bf_group_names[g], avail_of(root, group_tp[g]));
			shown++;
		}
	if (tp_names_read(root, &t)) {
		fprintf(stderr, "record: reading %s/events: %s\n", root, strerror(errno));
		return 1;
	}
	for (int i = 0; i < t.n; i++) {
		struct tp_sel s = { 0 };
		const char *why = NULL, *colon = strchr(t.v[i], ':');

		if (glob && fnmatch(glob, t.v[i], 0))
			continue;
		snprintf(s.sys, sizeof(s.sys), "%.*s", (int)(colon - t.v[i]), t.v[i]);
		s.format = read_format(root, s.sys, colon + 1);
		if (!s.format)
			why = "its format is unreadable";
		else if (!describe(&s, &why))
			why = NULL;
		printf("%-40s tracepoint  %s%s\n", t.v[i], why ? "unavailable: " : "available",
		       why ? why : "");
		if (verbose && s.format)
			print_fields(s.format);
		free(s.format);
		shown++;
	}
	names_free(&t);
	if (!shown) {
		fprintf(stderr, "record: nothing matches '%s'\n", glob);
		return 1;
	}
	return 0;
}
