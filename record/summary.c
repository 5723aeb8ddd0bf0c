// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "records.h"
#include "summary.h"
#include "trace_format.h"

/* The losses of a CPU and group the probes could not report in time. */
static int write_window(struct bf_writer *w, int cpu, uint32_t g, const struct drop_stat *v)
{
	struct meta_drop_window m = { .h.type = META_DROP_WINDOW,
				      .h.size = sizeof(m),
				      .h.cpu = cpu,
				      .h.ts = v->last_ts,
				      .group = g,
				      .start_ts = v->first_ts,
				      .count = v->count - v->reported };

	return v->count > v->reported ? bf_writer_append(w, BF_BLK_EVENTS, &m) : 0;
}

int summary_read_drops(struct rec_summary *s, struct bpf_map *drops,
		       struct bf_writer *w)
{
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	struct drop_stat *v;

	if (ncpu <= 0)
		return ncpu ?: -EINVAL;
	v = calloc((size_t)ncpu * GRP_MAX, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t g = 0; g < GRP_MAX && !err; g++)
		if (bpf_map_lookup_elem(bpf_map__fd(drops), &g, &v[g * ncpu]))
			err = -errno;
	/* the last windows with the events, then the totals in the STOP block */
	for (uint32_t g = 0; g < GRP_MAX && !err; g++)
		for (int cpu = 0; cpu < ncpu && !err; cpu++)
			err = write_window(w, cpu, g, &v[g * ncpu + cpu]);
	for (uint32_t g = 0; g < GRP_MAX && !err; g++) {
		s->drops[g] = 0;
		for (int cpu = 0; cpu < ncpu && !err; cpu++) {
			struct meta_drops m = { .h.type = META_DROPS,
						.h.size = sizeof(m),
						.h.cpu = cpu,
						.group = g,
						.count = v[g * ncpu + cpu].count };

			s->drops[g] += m.count;
			if (m.count)
				err = bf_writer_append(w, BF_BLK_STOP, &m);
		}
	}
	free(v);
	return err;
}

int summary_write(const struct rec_summary *s, struct bf_writer *w)
{
	struct bf_writer_stats st;
	uint64_t total_drops = 0;
	char key[64];
	int err;

	/* Flushed first so the byte totals cover everything but this block. */
	err = bf_writer_flush(w);
	if (err)
		return err;
	bf_writer_stats(w, &st);
	for (int g = 0; g < GRP_MAX; g++)
		total_drops += s->drops[g];
	err = rec_emit_kv_u64(w, BF_BLK_STOP, BF_KEY_BYTES_RAW, st.bytes_raw) ?:
	      rec_emit_kv_u64(w, BF_BLK_STOP, BF_KEY_BYTES_STORED, st.bytes_stored) ?:
	      rec_emit_kv_u64(w, BF_BLK_STOP, BF_KEY_STOP_TS, s->stop_ts) ?:
	      rec_emit_kv_u64(w, BF_BLK_STOP, BF_KEY_DURATION, s->stop_ts - s->start_ts) ?:
	      rec_emit_kv(w, BF_BLK_STOP, BF_KEY_STOP_REASON, s->stop_reason) ?:
	      rec_emit_kv_u64(w, BF_BLK_STOP, BF_KEY_DROPS, total_drops);
	for (int g = 0; g < GRP_MAX && !err; g++) {
		snprintf(key, sizeof(key), BF_KEY_EVENTS_PREFIX "%s", bf_group_names[g]);
		err = rec_emit_kv_u64(w, BF_BLK_STOP, key, s->events[g]);
	}
	if (!err && s->exit_status >= 0)
		err = rec_emit_kv_u64(w, BF_BLK_STOP, BF_KEY_EXIT_STATUS, s->exit_status);
	return err;
}

/* "N syscalls of which M fd-related, K process": the groups, each subset after its parent. */
static void print_groups(const struct rec_summary *s, int parent)
{
	bool first = true;

	for (int g = 0; g < GRP_MAX; g++) {
		if (bf_group_parent[g] != parent)
			continue;
		fprintf(stderr, "%s%llu %s", first ? (parent < 0 ? "" : " of which ") : ", ",
			(unsigned long long)s->events[g], bf_group_labels[g]);
		first = false;
		print_groups(s, g);
	}
}

void summary_print(const struct rec_summary *s, const struct bf_writer_stats *st,
		   const char *path)
{
	uint64_t drops = 0, events = 0;

	for (int g = 0; g < GRP_MAX; g++) {
		drops += s->drops[g];
		if (bf_group_parent[g] < 0)
			events += s->events[g]; /* a subset's are counted in its parent */
	}
	fprintf(stderr, "record: %.3f s, %llu events (", (s->stop_ts - s->start_ts) / 1e9,
		(unsigned long long)events);
	print_groups(s, -1);
	fprintf(stderr, "), %llu lost, stopped by %s\n", (unsigned long long)drops,
		s->stop_reason);
	if (drops)
		fprintf(stderr, "record: WARNING: %llu events lost (ring buffer full): try --buffer-size\n",
			(unsigned long long)drops);
	fprintf(stderr, "record: %.1f MiB raw, %.1f MiB written to %s (%.1fx)\n",
		st->bytes_raw / 1048576.0, st->bytes_stored / 1048576.0, path,
		st->bytes_stored ? (double)st->bytes_raw / st->bytes_stored : 0);
}
