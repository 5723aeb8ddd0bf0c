// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* The histogram bucket of a latency of US microseconds, -1: none. */
static int istat_bucket(int64_t us)
{
	int k;

	if (us < 0)
		return -1;
	if (us <= 1)
		return 0;
	k = 63 - __builtin_clzll((uint64_t)us);
	return k < ISTAT_BUCKETS ? k : -1;
}

/* The entry of KEY and COMM, created if new; NULL when out of memory. */
static struct istat *stat_get(struct importer *im, uint64_t key, const char *comm)
{
	struct istat *head = hm_get(&im->sc_stats, key), *st;

	/* one name per key, nearly always: a process renamed or exec'd has two */
	for (st = head; st; st = st->next)
		if (!strcmp(st->comm, comm))
			return st;
	st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->key = key;
	snprintf(st->comm, sizeof(st->comm), "%s", comm);
	if (head) {
		st->next = head->next;
		head->next = st;
	} else if (hm_put(&im->sc_stats, key, st)) {
		free(st);
		return NULL;
	}
	return st;
}

void istat_free(void *v)
{
	struct istat *st = v, *next;

	for (; st; st = next) {
		next = st->next;
		free(st);
	}
}

int istat_count(struct importer *im, const struct ev_syscall *ev, int64_t proc_id,
		const char *comm)
{
	uint64_t key = (uint64_t)proc_id << 32 | (uint32_t)ev->nr;
	struct istat *st = im->last_stat;

	if (!st || st->key != key || strcmp(st->comm, comm)) {
		st = stat_get(im, key, comm);
		if (!st)
			return an_errf(im->e, "out of memory");
		st->proc_id = proc_id;
		st->pid = ev->h.pid;
		st->nr = ev->nr;
		im->last_stat = st;
	}
	st->calls++;
	st->errors += sysc_is_error(isys_info(im, ev->nr), ev->ret);
	if (ev->exit_ts) {
		int64_t dur = (int64_t)(ev->exit_ts - ev->h.ts);
		int k = istat_bucket(dur / 1000);

		if (!st->lat_calls || dur > st->lat_max)
			st->lat_max = dur;
		st->lat_sum += (uint64_t)dur;
		st->lat_calls++;
		if (k >= 0)
			st->hist[k]++;
	}
	return 0;
}

static int stat_cmp(const void *a, const void *b)
{
	const struct istat *x = *(const struct istat *const *)a;
	const struct istat *y = *(const struct istat *const *)b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

int istat_put(struct importer *im)
{
	sqlite3_stmt *s = im->st[IST_STAT], *h = im->st[IST_HIST];
	size_t i = 0, n = 0;
	struct istat **v, *st;
	uint64_t key;
	void *val;
	int k, ret = 0;

	while (hm_next(&im->sc_stats, &i, &key, &val))
		for (st = val; st; st = st->next)
			n++;
	v = malloc((n + 1) * sizeof(*v));
	if (!v)
		return an_errf(im->e, "out of memory");
	for (i = 0, n = 0; hm_next(&im->sc_stats, &i, &key, &val);)
		for (st = val; st; st = st->next)
			v[n++] = st;
	qsort(v, n, sizeof(*v), stat_cmp);
	for (i = 0; i < n && !ret; i++) {
		const struct istat *st = v[i];

		ib_int(s, 1, st->proc_id);
		ib_int(s, 2, st->pid);
		ib_int(s, 3, st->nr);
		ib_int(s, 4, (int64_t)st->calls);
		ib_int(s, 5, (int64_t)st->errors);
		ib_int(s, 6, (int64_t)st->lat_calls);
		if (st->lat_calls) {
			ib_int(s, 7, (int64_t)st->lat_sum);
			ib_int(s, 8, st->lat_max);
		} else {
			sqlite3_bind_null(s, 7);
			sqlite3_bind_null(s, 8);
		}
		ib_text(s, 9, *st->comm ? st->comm : NULL);
		ret = ist_step(im, IST_STAT);
		for (k = 0; k < ISTAT_BUCKETS && !ret; k++) {
			if (!st->hist[k])
				continue;
			ib_int(h, 1, st->proc_id);
			ib_int(h, 2, st->pid);
			ib_int(h, 3, st->nr);
			ib_int(h, 4, k);
			ib_int(h, 5, (int64_t)st->hist[k]);
			ib_text(h, 6, *st->comm ? st->comm : NULL);
			ret = ist_step(im, IST_HIST);
		}
	}
	free(v);
	return ret;
}
