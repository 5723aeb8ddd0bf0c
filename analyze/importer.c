// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>

#include "import_int.h"

/* Trackers return -ENOMEM, or -1 when an emit callback already set E. */
int im_tracker_fail(struct importer *im, int ret)
{
	return ret == -ENOMEM ? an_errf(im->e, "out of memory") : -1;
}

int64_t im_proc_id(struct importer *im, const struct ev_hdr *h)
{
	struct pt_proc *p = pt_lookup(im->pt, h->pid, h->tid);

	return p ? p->id : -1;
}

static int on_record(void *ctx, int kind, const struct ev_hdr *h)
{
	struct importer *im = ctx;

	(void)kind;
	im->stats.records++;
	if (h->type < BF_EV_TYPE_END && !im->first_ts)
		im->first_ts = h->ts;
	switch (h->type) {
#define EV(num, id, group, name, st, ...) \
	case id:                          \
		return im_on_##name(im, (const struct st *)h);
#define META(num, id, name, st, ...) \
	case id:                     \
		return im_on_##name(im, (const struct st *)h);
#include "records.def"
	}
	return 0; /* not reached: the reader hands out the types of records.def only */
}

int im_import(sqlite3 *db, struct tr_reader *r, const char *trace_path, struct im_stats *st,
	      struct an_err *e)
{
	struct pt_emit pe = { iproc_emit_proc, iproc_emit_thread, iproc_emit_name, NULL };
	struct importer im = { .db = db, .e = e };
	int ret = -1;

	pe.ctx = &im;
	hm_init(&im.sc_stats);
	hm_init(&im.tps);
	irun_init(&im.sc_run, &isys_ops, im.sc_rows, db, e);
	irun_init(&im.fd_run, &ifd_ops, im.fd_rows, db, e);
	irun_init(&im.fd_io_run, &ifd_io_ops, im.fd_io_rows, db, e);
	if (isch_setup(db, e))
		return -1;
	if (pt_new(&im.pt, &pe) || ft_new(&im.ft, ifd_emit, &im)) {
		an_errf(e, "out of memory");
		goto out;
	}
	if (isys_init(&im) || ist_prepare(&im))
		goto out;
	ret = tr_read(r, on_record, &im, e);
	if (ret)
		goto out;
	ret = -1;
	if (irun_flush(&im.sc_run) || istat_put(&im) || itp_finish(&im))
		goto out;
	if (ft_finish(im.ft) || pt_finish(im.pt) || irun_flush(&im.fd_run) ||
	    irun_flush(&im.fd_io_run))
		goto out; /* only the emit callbacks fail here, and they set E */
	if (imeta_put_import(&im, r, trace_path) || isch_run(db, 1, e) ||
	    im_exec(db, "COMMIT", "commit", e))
		goto out;
	if (st)
		*st = im.stats;
	ret = 0;
out:
	ist_finalize(&im);
	irun_fini(&im.sc_run);
	irun_fini(&im.fd_run);
	irun_fini(&im.fd_io_run);
	hm_fini_free(&im.sc_stats, istat_free);
	itp_fini(&im);
	isys_fini(&im);
	ft_free(im.ft);
	pt_free(im.pt);
	if (ret && sqlite3_get_autocommit(db) == 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return ret ? -1 : 0;
}
