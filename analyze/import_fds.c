// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "import_int.h"

static int bind_fd(sqlite3_stmt *s, int col, const void *row, unsigned shape)
{
	const struct ft_fd_row *r = &((const struct ifd_row *)row)->row;

	(void)shape;
	ib_int(s, col, r->id);
	ib_int_or_null(s, col + 1, r->proc_id);
	ib_int(s, col + 2, r->pid);
	ib_int(s, col + 3, r->fd);
	ib_text(s, col + 4, r->path);
	ib_text(s, col + 5, r->how);
	ib_int(s, col + 6, (int64_t)r->opened_ts);
	if (r->closed) {
		ib_int(s, col + 7, (int64_t)r->closed_ts);
		ib_text(s, col + 10, r->closed_how);
	} else {
		sqlite3_bind_null(s, col + 7);
		sqlite3_bind_null(s, col + 10);
	}
	ib_int_or_null(s, col + 8, r->open_syscall_id);
	ib_int_or_null(s, col + 9, r->close_syscall_id);
	ib_int(s, col + 11, r->cloexec);
	ib_int_or_null(s, col + 12, r->src_id);
	ib_int(s, col + 13, (int64_t)r->reads);
	ib_int(s, col + 14, (int64_t)r->bytes_read);
	ib_int(s, col + 15, (int64_t)r->writes);
	ib_int(s, col + 16, (int64_t)r->bytes_written);
	return col + 17;
}

const struct irun_ops ifd_ops = {
	.what = "insert into fds",
	.row_size = sizeof(struct ifd_row),
	.table = "fds",
	.ncols = 17,
	.bind = bind_fd,
};

static int bind_fd_io(sqlite3_stmt *s, int col, const void *row, unsigned shape)
{
	const struct ifd_io_row *r = row;

	(void)shape;
	ib_int(s, col, r->fd_id);
	ib_text(s, col + 1, *r->io.comm ? r->io.comm : NULL);
	ib_int(s, col + 2, r->io.opened);
	ib_int(s, col + 3, (int64_t)r->io.reads);
	ib_int(s, col + 4, (int64_t)r->io.bytes_read);
	ib_int(s, col + 5, (int64_t)r->io.writes);
	ib_int(s, col + 6, (int64_t)r->io.bytes_written);
	return col + 7;
}

/* fd_io rows, as many as fds: inserted in runs like them */
const struct irun_ops ifd_io_ops = {
	.what = "insert into fd_io",
	.row_size = sizeof(struct ifd_io_row),
	.table = "fd_io",
	.ncols = 7,
	.bind = bind_fd_io,
};

/* R's fd_io rows, copied: its list goes with it when we return */
static int put_io(struct importer *im, const struct ft_fd_row *r)
{
	const struct ft_io *io;

	for (io = r->io; io; io = io->next) {
		struct ifd_io_row *row = irun_add(&im->fd_io_run, 0);

		if (!row)
			return -1;
		row->fd_id = r->id;
		row->io = *io;
	}
	return 0;
}

int ifd_emit(void *ctx, const struct ft_fd_row *r)
{
	struct importer *im = ctx;
	struct ifd_row *f = irun_add(&im->fd_run, 0);
	size_t len = r->path ? strlen(r->path) : 0;

	if (!f || put_io(im, r))
		return -1;
	f->row = *r;
	f->row.io = NULL;
	im->stats.fds++;
	if (len < sizeof(f->path)) {
		memcpy(f->path, r->path ? r->path : "", len + 1);
		f->row.path = r->path ? f->path : NULL;
		return 0;
	}
	/* a longer path (from the /proc snapshot) is valid until we return */
	return irun_flush(&im->fd_run);
}
