// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

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

int istat_count(struct importer *im, const struct ev_syscall *ev, int64_t proc_id)
{
	uint64_t key = (uint64_t)proc_id << 32 | (uint32_t)ev->nr;
	struct istat *st = im->last_stat;

	if (!st || st->key != key) {
		st = hm_get(&im->sc_stats, key);
		if (!st) {
			st = calloc(1, sizeof(*st));
			if (!st || hm_put(&im->sc_stats, key, st)) {
				free(st);
				return an_errf(im->e, "out of memory");
			}
			st->key = key;
			st->proc_id = proc_id;
			st->pid = ev->h.pid;
			st->nr = ev->nr;
		}
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

	return x->key < y->key ? -1 : x->key > y->key;
}

int istat_put(struct importer *im)
{
	struct istat **v = malloc((im->sc_stats.len + 1) * sizeof(*v));
	sqlite3_stmt *s = im->st[IST_STAT], *h = im->st[IST_HIST];
	size_t i = 0, n = 0;
	uint64_t key;
	void *val;
	int k, ret = 0;

	if (!v)
		return an_errf(im->e, "out of memory");
	while (hm_next(&im->sc_stats, &i, &key, &val))
		v[n++] = val;
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
		ret = ist_step(im, IST_STAT);
		for (k = 0; k < ISTAT_BUCKETS && !ret; k++) {
			if (!st->hist[k])
				continue;
			ib_int(h, 1, st->proc_id);
			ib_int(h, 2, st->pid);
			ib_int(h, 3, st->nr);
			ib_int(h, 4, k);
			ib_int(h, 5, (int64_t)st->hist[k]);
			ret = ist_step(im, IST_HIST);
		}
	}
	free(v);
	return ret;
}
