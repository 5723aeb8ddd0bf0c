// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_id.h"
#include "import_int.h"

int imeta_put(struct importer *im, const char *key, const char *value)
{
	ib_text(im->st[IST_META], 1, key);
	ib_text(im->st[IST_META], 2, value);
	return ist_step(im, IST_META);
}

int imeta_put_u64(struct importer *im, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	sqlite3_bind_text(im->st[IST_META], 2, buf, -1, SQLITE_TRANSIENT);
	ib_text(im->st[IST_META], 1, key);
	return ist_step(im, IST_META);
}

static const char *imeta_group_name(uint32_t grp)
{
	return grp < GRP_MAX ? bf_group_names[grp] : "unknown";
}

int im_on_meta_kv(struct importer *im, const struct meta_kv *kv)
{
	const char *value = kv->strs + strlen(kv->strs) + 1;

	if (!strcmp(kv->strs, BF_KEY_START_TS)) {
		im->have_start_ts = 1;
		im->start_ts = strtoull(value, NULL, 10);
	}
	return imeta_put(im, kv->strs, value);
}

/* A second name for a known number: keep the first (rows already use it), warn once. */
static int imeta_name_conflict(struct importer *im, const struct meta_syscall *ms)
{
	if (!im->name_conflicts++)
		snprintf(im->name_conflict, sizeof(im->name_conflict),
			 "syscall %d named '%.32s', then '%.32s': kept the first", ms->nr,
			 ft_syscall_name(im->ft, ms->nr), ms->name);
	return 0;
}

int im_on_meta_syscall(struct importer *im, const struct meta_syscall *ms)
{
	int ret = ft_set_syscall_name(im->ft, ms->nr, ms->name);

	if (ret == -EEXIST)
		return imeta_name_conflict(im, ms);
	if (ret)
		return an_errf(im->e, "out of memory");
	if (ms->nr >= 0 && ms->nr < ISYS_NR_LIMIT)
		im->sysc_by_nr[ms->nr] = sysc_find(ms->name);
	ib_int(im->st[IST_SYSCALL_NAME], 1, ms->nr);
	ib_text(im->st[IST_SYSCALL_NAME], 2, ms->name);
	return ist_step(im, IST_SYSCALL_NAME);
}

int im_on_meta_proc(struct importer *im, const struct meta_proc *mp)
{
	const char *cwd = tr_str(&mp->h, sizeof(*mp), 2); /* exe, cmdline, cwd */
	int ret;

	ret = pt_snapshot(im->pt, mp) ?: ft_snapshot_cwd(im->ft, mp->h.pid, cwd);
	return ret ? im_tracker_fail(im, ret) : 0;
}

int im_on_meta_thread(struct importer *im, const struct meta_thread *mt)
{
	int ret = pt_snapshot_thread(im->pt, mt);

	return ret ? im_tracker_fail(im, ret) : 0;
}

int im_on_meta_fd(struct importer *im, const struct meta_fd *mf)
{
	int64_t proc_id = im_proc_id(im, &mf->h);
	int ret;

	if (proc_id < 0)
		return im_tracker_fail(im, -ENOMEM);
	/* an fd of the snapshot was open when recording started */
	ret = ft_snapshot_fd(im->ft, mf->h.pid, proc_id, mf->fd, mf->flags, mf->path,
			     mf->h.ts ? mf->h.ts : im->start_ts);
	return ret ? im_tracker_fail(im, ret) : 0;
}

int im_on_meta_probe(struct importer *im, const struct meta_probe *mp)
{
	static const char *const status[] = { "attached", "fallback", "failed", "skipped" };
	const char *name = mp->strs, *attach = name + strlen(name) + 1;
	sqlite3_stmt *s = im->st[IST_PROBE];

	ib_text(s, 1, imeta_group_name(mp->group));
	ib_text(s, 2, name);
	ib_text(s, 3, attach);
	ib_text(s, 4, mp->status < AN_ARRAY_SIZE(status) ? status[mp->status] : "unknown");
	ib_text(s, 5, attach + strlen(attach) + 1);
	return ist_step(im, IST_PROBE);
}

int im_on_meta_drops(struct importer *im, const struct meta_drops *md)
{
	sqlite3_stmt *s = im->st[IST_DROP];

	ib_int(s, 1, md->h.cpu);
	ib_text(s, 2, imeta_group_name(md->group));
	ib_int(s, 3, (int64_t)md->count);
	im->drops_sum += md->count;
	return ist_step(im, IST_DROP);
}

/* The reader's WARNING (may be NULL) and the importer's, as one salvage_warning. */
static int imeta_put_warning(struct importer *im, const char *warning)
{
	char *w = NULL;
	int ret;

	if (!im->name_conflicts)
		return warning ? imeta_put(im, "salvage_warning", warning) : 0;
	if (asprintf(&w, "%s%s%s (%" PRIu64 " conflicting syscall name%s ignored)",
		     warning ? warning : "", warning ? "; " : "", im->name_conflict,
		     im->name_conflicts, im->name_conflicts > 1 ? "s" : "") < 0)
		return an_errf(im->e, "out of memory");
	ret = imeta_put(im, "salvage_warning", w);
	free(w);
	return ret;
}

int im_on_drop_window(struct importer *im, const struct meta_drop_window *w)
{
	sqlite3_stmt *s = im->st[IST_DROP_WINDOW];

	ib_int(s, 1, w->h.cpu);
	ib_text(s, 2, imeta_group_name(w->group));
	ib_int(s, 3, (int64_t)w->start_ts);
	ib_int(s, 4, (int64_t)w->h.ts);
	ib_int(s, 5, (int64_t)w->count);
	return ist_step(im, IST_DROP_WINDOW);
}

int imeta_put_import(struct importer *im, struct tr_reader *r, const char *trace_path)
{
	const struct tr_info *ti = tr_get_info(r);
	char buf[32];
	sqlite3_stmt *q;
	uint64_t drops = im->drops_sum;
	int rc;

	/* the STOP block's total wins if it counted more than the per-CPU rows */
	rc = sqlite3_prepare_v2(im->db, "SELECT value FROM meta WHERE key = '" BF_KEY_DROPS "'",
				-1, &q, NULL);
	if (rc != SQLITE_OK)
		return ist_fail(im->db, im->e, "meta");
	if (sqlite3_step(q) == SQLITE_ROW && (uint64_t)sqlite3_column_int64(q, 0) > drops)
		drops = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	im->stats.drops = drops;
	snprintf(buf, sizeof(buf), "%" PRId64, ti->mtime_ns);
	if (imeta_put(im, "trace_path", trace_path) ||
	    imeta_put_u64(im, "trace_size", ti->file_size) || imeta_put(im, "trace_mtime_ns", buf) ||
	    imeta_put_u64(im, "trace_blocks", ti->blocks) ||
	    imeta_put_u64(im, "trace_records", ti->records) ||
	    imeta_put_u64(im, "trace_has_stop", (uint64_t)ti->has_stop) ||
	    imeta_put(im, "analyzer_build", AN_BUILD_ID) ||
	    imeta_put_u64(im, BF_KEY_DROPS, drops))
		return -1;
	if (!im->have_start_ts && imeta_put_u64(im, BF_KEY_START_TS, im->first_ts))
		return -1;
	return imeta_put_warning(im, tr_warning(r));
}
