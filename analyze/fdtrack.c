// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "fdtrack.h"
#include "hashmap.h"
#include "sock_name.h"
#include "syscall_info.h"

/* fcntl and close_range values of the generic Linux ABI (see syscall_info.h) */
#define L_F_DUPFD 0
#define L_F_SETFD 2
#define L_F_DUPFD_CLOEXEC 1030
#define L_FD_CLOEXEC 1
#define L_CLOSE_RANGE_CLOEXEC 0x4u
#define L_AT_FDCWD -100
#define L_O_ACCMODE 3
#define L_O_WRONLY 1

/* A path shared by the fds that dup or inherit it. */
struct ft_path {
	uint32_t ref;
	char s[];
};

struct ft_fd {
	struct ft_fd_row row; /* row.path points into path->s */
	struct ft_path *path;
	int wronly; /* opened write-only (a pipe's write end): SC_IO_PIPE writes */
};

struct ft_proc {
	struct hm fds; /* fd -> struct ft_fd */
	struct ft_path *cwd; /* NULL: unknown */
};

struct ft_tracker {
	struct hm procs; /* pid -> struct ft_proc */
	const struct sysc_info **by_nr; /* indexed by syscall nr */
	char **names; /* the trace's syscall names, by nr */
	size_t nr_cap;
	int64_t next_id;
	const char *comm; /* the calling thread's name in ft_syscall(), else NULL */
	ft_emit_fn emit;
	void *ctx;
	char scratch[BPFREC_PATH_MAX + 32];
	char resolved[2 * PATH_MAX];
};

/* Syscall numbers above this are not real; refuse to size tables by them. */
#define FT_NR_LIMIT 65536

int ft_new(struct ft_tracker **tp, ft_emit_fn emit, void *ctx)
{
	struct ft_tracker *t = calloc(1, sizeof(*t));

	*tp = t;
	if (!t)
		return -ENOMEM;
	hm_init(&t->procs);
	t->emit = emit;
	t->ctx = ctx;
	return 0;
}

static struct ft_path *path_new(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	struct ft_path *p;

	if (!s)
		return NULL;
	p = malloc(sizeof(*p) + len + 1);
	if (p) {
		p->ref = 1;
		memcpy(p->s, s, len + 1);
	}
	return p;
}

static struct ft_path *path_get(struct ft_path *p)
{
	if (p)
		p->ref++;
	return p;
}

static void path_put(struct ft_path *p)
{
	if (p && !--p->ref)
		free(p);
}

static void fd_free(void *v)
{
	struct ft_fd *f = v;
	struct ft_io *io, *next;

	for (io = (struct ft_io *)f->row.io; io; io = next) {
		next = io->next;
		free(io);
	}
	path_put(f->path);
	free(f);
}

/* F's counters under the name COMM, made first if new; NULL: out of memory. */
static struct ft_io *fd_io(struct ft_fd *f, const char *comm)
{
	struct ft_io *io;

	/* nearly every fd is used under one name: the latest is first */
	for (io = (struct ft_io *)f->row.io; io; io = io->next)
		if (!strcmp(io->comm, comm))
			return io;
	io = calloc(1, sizeof(*io));
	if (!io)
		return NULL;
	snprintf(io->comm, sizeof(io->comm), "%s", comm);
	io->next = (struct ft_io *)f->row.io;
	f->row.io = io;
	return io;
}

static void proc_free(void *v)
{
	struct ft_proc *p = v;

	hm_fini_free(&p->fds, fd_free);
	path_put(p->cwd);
	free(p);
}

void ft_free(struct ft_tracker *t)
{
	size_t n;

	if (!t)
		return;
	hm_fini_free(&t->procs, proc_free);
	for (n = 0; n < t->nr_cap; n++)
		free(t->names[n]);
	free(t->names);
	free(t->by_nr);
	free(t);
}

int ft_set_syscall_name(struct ft_tracker *t, int32_t nr, const char *name)
{
	if (nr < 0 || nr >= FT_NR_LIMIT)
		return 0; /* cannot be a real syscall: ignore */
	if ((size_t)nr >= t->nr_cap) {
		size_t ncap = (size_t)nr + 64;
		const struct sysc_info **nb = realloc(t->by_nr, ncap * sizeof(*nb));
		char **nn;

		if (!nb)
			return -ENOMEM;
		t->by_nr = nb;
		nn = realloc(t->names, ncap * sizeof(*nn));
		if (!nn)
			return -ENOMEM;
		t->names = nn;
		memset(nb + t->nr_cap, 0, (ncap - t->nr_cap) * sizeof(*nb));
		memset(nn + t->nr_cap, 0, (ncap - t->nr_cap) * sizeof(*nn));
		t->nr_cap = ncap;
	}
	/* fd rows point at the name: a number's first name is kept for good */
	if (t->names[nr])
		return strcmp(t->names[nr], name) ? -EEXIST : 0;
	t->names[nr] = strdup(name);
	if (!t->names[nr])
		return -ENOMEM;
	t->by_nr[nr] = sysc_find(name);
	return 0;
}

const char *ft_syscall_name(const struct ft_tracker *t, int32_t nr)
{
	return nr >= 0 && (size_t)nr < t->nr_cap ? t->names[nr] : NULL;
}

static struct ft_proc *proc_get(struct ft_tracker *t, uint32_t pid, int create)
{
	struct ft_proc *p = hm_get(&t->procs, pid);

	if (p || !create)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	hm_init(&p->fds);
	if (hm_put(&t->procs, pid, p)) {
		free(p);
		return NULL;
	}
	return p;
}

static struct ft_fd *fd_lookup(struct ft_tracker *t, uint32_t pid, int32_t fd)
{
	struct ft_proc *p = hm_get(&t->procs, pid);

	return p ? hm_get(&p->fds, (uint32_t)fd) : NULL;
}

/* Fold "//", "/./" and "/x/../" in the absolute path S, in place. */
static void fold_path(char *s)
{
	char *src = s, *dst = s;

	while (*src) {
		size_t len;

		while (*src == '/')
			src++;
		len = strcspn(src, "/");
		if (len == 2 && src[0] == '.' && src[1] == '.') {
			while (dst > s && *--dst != '/')
				;
		} else if (len && !(len == 1 && src[0] == '.')) {
			*dst++ = '/';
			memmove(dst, src, len);
			dst += len;
		}
		src += len;
	}
	if (dst == s)
		*dst++ = '/';
	*dst = 0;
}

/*
 * PATH made absolute against BASE (a directory; NULL when unknown, then a
 * relative PATH is kept as given). Returns a buffer of T.
 */
static const char *resolve(struct ft_tracker *t, const char *base, const char *path)
{
	if (path[0] != '/' && (!base || base[0] != '/'))
		return path;
	if (path[0] == '/')
		snprintf(t->resolved, sizeof(t->resolved), "%s", path);
	else
		snprintf(t->resolved, sizeof(t->resolved), "%s/%s", base, path);
	fold_path(t->resolved);
	return t->resolved;
}

/* The directory a relative path of EV is relative to: cwd or a dirfd's. */
static const char *dir_base(struct ft_tracker *t, const struct sysc_info *s,
			    const struct ev_syscall *ev)
{
	int32_t dirfd = s->dir_arg == SYSC_NA ? L_AT_FDCWD : (int32_t)ev->args[s->dir_arg];
	struct ft_proc *p;
	struct ft_fd *f;

	if (dirfd == L_AT_FDCWD) {
		p = hm_get(&t->procs, ev->h.pid);
		return p && p->cwd ? p->cwd->s : NULL;
	}
	f = fd_lookup(t, ev->h.pid, dirfd);
	return f && f->path ? f->path->s : NULL;
}

/* Make CWD (a reference, taken over) the working directory of PID. */
static int set_cwd(struct ft_tracker *t, uint32_t pid, struct ft_path *cwd)
{
	struct ft_proc *p = proc_get(t, pid, 1);

	if (!p) {
		path_put(cwd);
		return -ENOMEM;
	}
	path_put(p->cwd);
	p->cwd = cwd;
	return 0;
}

int ft_snapshot_cwd(struct ft_tracker *t, uint32_t pid, const char *cwd)
{
	struct ft_path *p;

	if (!*cwd)
		return 0; /* kernel threads, or /proc refused */
	p = path_new(cwd);
	return p ? set_cwd(t, pid, p) : -ENOMEM;
}

/* End F (already removed from its table) and emit its row. */
static int fd_end(struct ft_tracker *t, struct ft_fd *f, uint64_t ts, const char *how,
		  int64_t syscall_id)
{
	int ret;

	f->row.closed = 1;
	f->row.closed_ts = ts;
	f->row.closed_how = how;
	f->row.close_syscall_id = syscall_id;
	ret = t->emit(t->ctx, &f->row);
	fd_free(f);
	return ret;
}

static int fd_close(struct ft_tracker *t, struct ft_proc *p, int32_t fd, uint64_t ts,
		    const char *how, int64_t syscall_id)
{
	struct ft_fd *f = p ? hm_del(&p->fds, (uint32_t)fd) : NULL;

	return f ? fd_end(t, f, ts, how, syscall_id) : 0;
}

/*
 * Install a new fd. PATH is taken over (one reference). An fd number
 * still open in our table means we missed its close: end it as reused.
 */
static int fd_install(struct ft_tracker *t, uint32_t pid, int64_t proc_id, int32_t fd,
		      struct ft_path *path, const char *how, uint64_t ts, int64_t syscall_id,
		      int64_t src_id, int cloexec)
{
	struct ft_proc *p = proc_get(t, pid, 1);
	struct ft_fd *f;
	int ret;

	if (!p) {
		path_put(path);
		return -ENOMEM;
	}
	ret = fd_close(t, p, fd, ts, "reused", syscall_id);
	if (ret) {
		path_put(path);
		return ret;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		path_put(path);
		return -ENOMEM;
	}
	f->path = path;
	f->row.id = ++t->next_id;
	f->row.proc_id = proc_id;
	f->row.pid = pid;
	f->row.fd = fd;
	f->row.path = path ? path->s : NULL;
	f->row.how = how;
	f->row.opened_ts = ts;
	f->row.open_syscall_id = syscall_id;
	f->row.src_id = src_id;
	f->row.cloexec = cloexec;
	if (hm_put(&p->fds, (uint32_t)fd, f)) {
		fd_free(f);
		return -ENOMEM;
	}
	/* made by a call: counted as opened under the caller's name */
	if (t->comm) {
		struct ft_io *io = fd_io(f, t->comm);

		if (!io)
			return -ENOMEM;
		io->opened = 1;
	}
	return 0;
}

/* Record whether fd FD of PID, just installed, is write-only. */
static int set_wronly(struct ft_tracker *t, uint32_t pid, int32_t fd, int wronly)
{
	struct ft_fd *f = fd_lookup(t, pid, fd);

	if (f)
		f->wronly = wronly;
	return 0;
}

int ft_snapshot_fd(struct ft_tracker *t, uint32_t pid, int64_t proc_id, int32_t fd,
		   uint32_t flags, const char *path, uint64_t ts)
{
	struct ft_path *p = path_new(path);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = fd_install(t, pid, proc_id, fd, p, "snapshot", ts, 0, 0, !!(flags & SYSC_CLOEXEC_O));
	return ret ?: set_wronly(t, pid, fd, (flags & L_O_ACCMODE) == L_O_WRONLY);
}

static int new_cloexec(const struct sysc_info *s, const struct ev_syscall *ev)
{
	if (s->cloexec_arg == SYSC_ALWAYS)
		return 1;
	if (s->cloexec_arg < 0)
		return 0;
	return !!(ev->args[s->cloexec_arg] & s->cloexec_mask);
}

static const char *socket_kind(uint64_t domain)
{
	switch (domain) {
	case 1:
		return "socket:unix";
	case 2:
		return "socket:inet";
	case 10:
		return "socket:inet6";
	case 16:
		return "socket:netlink";
	case 17:
		return "socket:packet";
	default:
		return "socket";
	}
}

/*
 * The first path of EV, or NULL when the probes could not read it. An
 * empty path never opens or changes directory (ENOENT): one that did was
 * lost, as in version 1 traces, which had no flag for it.
 */
static const char *known_path(const struct ev_syscall *ev)
{
	const char *tail = (const char *)(ev + 1);

	if (ev->tail_kind != TAIL_PATHS || (ev->h.flags & EVF_PATH_LOST) || !tail[0])
		return NULL;
	return tail;
}

/* The name of the socket of a TAIL_SOCK, in T's scratch. */
static const char *sock_tail_name(struct ft_tracker *t, const struct ev_syscall *ev)
{
	const struct ev_sock *k = (const void *)(ev + 1);

	sock_name(t->scratch, sizeof(t->scratch), k,
		  ev->tail_len > sizeof(*k) ? (const char *)(k + 1) : "");
	return t->scratch;
}

/* Rename F, whose socket got an address (bind, connect, listen). */
static int rename_fd(struct ft_fd *f, const char *name)
{
	struct ft_path *path = path_new(name);

	if (!path)
		return -ENOMEM;
	path_put(f->path);
	f->path = path;
	f->row.path = path->s;
	return 0;
}

/* The names of the fds of a TAIL_FDPAIR, as /proc gives them, in T's scratch. */
static const char *pair_name(struct ft_tracker *t, const struct sysc_info *s,
			     const struct ev_syscall *ev, int i)
{
	const struct ev_fdpair *pr = (const void *)(ev + 1);
	int is_pipe = !strcmp(s->kind, "pipe");

	/* version 1 traces and unknown inodes: the kind and the end */
	if (ev->tail_len < sizeof(*pr) || !pr->ino[i])
		return is_pipe ? (i ? "pipe:[w]" : "pipe:[r]") : s->kind;
	snprintf(t->scratch, sizeof(t->scratch), is_pipe ? "pipe:[%llu]" : "unix:[%llu]",
		 (unsigned long long)pr->ino[i]);
	return t->scratch;
}

static int do_dup(struct ft_tracker *t, const struct ev_syscall *ev, int64_t proc_id,
		  int64_t sc_id, const char *how, struct ft_fd *old, int32_t newfd, int cloexec)
{
	uint32_t pid = ev->h.pid;

	int ret;

	if (old && old->row.fd == newfd)
		return 0; /* dup2(fd, fd) changes nothing */
	ret = fd_install(t, pid, proc_id, newfd, old ? path_get(old->path) : NULL, how, ev->h.ts,
			 sc_id, old ? old->row.id : 0, cloexec);
	return ret ?: set_wronly(t, pid, newfd, old && old->wronly);
}

static int do_close_range(struct ft_tracker *t, const struct ev_syscall *ev, const char *how,
			  int64_t sc_id)
{
	struct ft_proc *p = hm_get(&t->procs, ev->h.pid);
	uint32_t first = (uint32_t)ev->args[0], last = (uint32_t)ev->args[1];
	int32_t fds[64];
	size_t i, n;
	uint64_t key;
	void *val;
	int ret;

	if (!p)
		return 0;
	if (ev->args[2] & L_CLOSE_RANGE_CLOEXEC) {
		for (i = 0; hm_next(&p->fds, &i, &key, &val);) {
			if (key >= first && key <= last)
				((struct ft_fd *)val)->row.cloexec = 1;
		}
		return 0;
	}
	/* collect, then close: the table must not change while iterating */
	do {
		for (i = 0, n = 0; n < AN_ARRAY_SIZE(fds) && hm_next(&p->fds, &i, &key, &val);) {
			if (key >= first && key <= last)
				fds[n++] = (int32_t)key;
		}
		for (i = 0; i < n; i++) {
			ret = fd_close(t, p, fds[i], ev->h.ts, how, sc_id);
			if (ret)
				return ret;
		}
	} while (n == AN_ARRAY_SIZE(fds));
	return 0;
}

/*
 * Count a call moving BYTES through F in the direction IO (enum sysc_io),
 * in F's totals and under the caller's name.
 */
static int count_io(struct ft_tracker *t, struct ft_fd *f, unsigned io, uint64_t bytes)
{
	struct ft_io *named;

	if (!f || io == SC_IO_NONE)
		return 0;
	named = fd_io(f, t->comm);
	if (!named)
		return -ENOMEM;
	if (io == SC_IO_PIPE)
		io = f->wronly ? SC_IO_WRITE : SC_IO_READ;
	if (io == SC_IO_READ) {
		f->row.reads++;
		f->row.bytes_read += bytes;
		named->reads++;
		named->bytes_read += bytes;
	} else {
		f->row.writes++;
		f->row.bytes_written += bytes;
		named->writes++;
		named->bytes_written += bytes;
	}
	return 0;
}

static int replay(struct ft_tracker *t, const struct ev_syscall *ev, int64_t proc_id,
		  int64_t sc_id, int64_t *fd_id)
{
	const struct sysc_info *s = NULL;
	const char *name, *tail = (const char *)(ev + 1);
	struct ft_fd *used = NULL;
	uint32_t pid = ev->h.pid;
	int64_t ret = ev->ret;
	struct ft_path *path;
	int err;

	*fd_id = 0;
	if (ev->nr >= 0 && (size_t)ev->nr < t->nr_cap)
		s = t->by_nr[ev->nr];
	if (!s)
		return 0;
	name = t->names[ev->nr];
	if (s->fd_arg >= 0) {
		used = fd_lookup(t, pid, (int32_t)ev->args[s->fd_arg]);
		if (used)
			*fd_id = used->row.id;
	}
	if (s->io != SC_IO_NONE) {
		uint64_t bytes = ret > 0 ? (uint64_t)ret : 0;

		err = count_io(t, used, s->io, bytes);
		if (!err && s->fd2_arg >= 0)
			err = count_io(t, fd_lookup(t, pid, (int32_t)ev->args[s->fd2_arg]), s->io2,
				       bytes);
		if (err)
			return err;
	}
	/* bind, connect (also in progress), listen: the socket's name now */
	if (used && s->sock == SF_SOCK_FD && ev->tail_kind == TAIL_SOCK)
		return rename_fd(used, sock_tail_name(t, ev));
	/* a call that never returned or failed changed no fd */
	if (!ev->exit_ts || ret < 0 || ret > INT32_MAX)
		return 0;
	switch (s->op) {
	case SC_OP_NONE:
	case SC_OP_USE:
	case SC_OP_EXEC: /* ft_exec, on the process's exec event, closes the fds */
	case SC_OP_EXIT: /* ft_exit likewise */
		return 0;
	case SC_OP_OPEN:
		path = NULL;
		if (known_path(ev)) {
			path = path_new(resolve(t, dir_base(t, s, ev), tail));
			if (!path)
				return -ENOMEM;
		}
		err = fd_install(t, pid, proc_id, (int32_t)ret, path, name, ev->h.ts, sc_id, 0,
				 new_cloexec(s, ev));
		/* the access mode shares the flags argument with O_CLOEXEC */
		return err ?: set_wronly(t, pid, (int32_t)ret,
					 s->cloexec_mask == SYSC_CLOEXEC_O &&
						 (ev->args[s->cloexec_arg] & L_O_ACCMODE) == L_O_WRONLY);
	case SC_OP_SIGNALFD:
		if ((int32_t)ev->args[0] != -1)
			return 0; /* updated the mask of an existing signalfd */
		/* fall through */
	case SC_OP_NEWFD:
	case SC_OP_SOCKET: {
		const char *kind = s->op == SC_OP_SOCKET ? socket_kind(ev->args[0]) : s->kind;

		if (ev->tail_kind == TAIL_SOCK) {
			kind = sock_tail_name(t, ev);
		} else if (ev->tail_kind == TAIL_PATHS && s->op == SC_OP_NEWFD) {
			/* e.g. the memfd_create name */
			snprintf(t->scratch, sizeof(t->scratch), "%s:%s", kind, tail);
			kind = t->scratch;
		}
		path = path_new(kind);
		if (!path)
			return -ENOMEM;
		return fd_install(t, pid, proc_id, (int32_t)ret, path, name, ev->h.ts, sc_id, 0,
				  new_cloexec(s, ev));
	}
	case SC_OP_DUP:
		return do_dup(t, ev, proc_id, sc_id, name, used, (int32_t)ret, 0);
	case SC_OP_DUP2:
		/* dup2 over an open fd closes it first, on behalf of this call */
		if (!used || used->row.fd != (int32_t)ev->args[1]) {
			err = fd_close(t, hm_get(&t->procs, pid), (int32_t)ev->args[1], ev->h.ts,
				       name, sc_id);

			if (err)
				return err;
		}
		return do_dup(t, ev, proc_id, sc_id, name, used, (int32_t)ev->args[1],
			      new_cloexec(s, ev));
	case SC_OP_FCNTL:
		switch ((int32_t)ev->args[1]) {
		case L_F_DUPFD:
		case L_F_DUPFD_CLOEXEC:
			return do_dup(t, ev, proc_id, sc_id, name, used, (int32_t)ret,
				      (int32_t)ev->args[1] == L_F_DUPFD_CLOEXEC);
		case L_F_SETFD:
			if (used)
				used->row.cloexec = !!(ev->args[2] & L_FD_CLOEXEC);
			return 0;
		}
		return 0;
	case SC_OP_CLOSE:
		/* per the recorder contract only a successful close ends the fd */
		if (ret != 0)
			return 0;
		return fd_close(t, hm_get(&t->procs, pid), (int32_t)ev->args[0], ev->h.ts, name,
				sc_id);
	case SC_OP_CLOSE_RANGE:
		return ret == 0 ? do_close_range(t, ev, name, sc_id) : 0;
	case SC_OP_CHDIR:
		if (!known_path(ev)) /* somewhere unknown: relative paths are too */
			return ev->tail_kind == TAIL_PATHS ? set_cwd(t, pid, NULL) : 0;
		path = path_new(resolve(t, dir_base(t, s, ev), tail));
		return path ? set_cwd(t, pid, path) : -ENOMEM;
	case SC_OP_FCHDIR:
		return used && used->path ? set_cwd(t, pid, path_get(used->path)) : 0;
	case SC_OP_PAIR: {
		const int32_t *fds = (const int32_t *)tail;
		int is_pipe = !strcmp(s->kind, "pipe"), i, err;

		if (ev->tail_kind != TAIL_FDPAIR)
			return 0;
		for (i = 0; i < 2; i++) {
			path = path_new(pair_name(t, s, ev, i));
			if (!path)
				return -ENOMEM;
			err = fd_install(t, pid, proc_id, fds[i], path, name, ev->h.ts, sc_id, 0,
					 new_cloexec(s, ev)) ?:
			      set_wronly(t, pid, fds[i], is_pipe && i == 1);
			if (err)
				return err;
		}
		return 0;
	}
	}
	return 0;
}

int ft_syscall(struct ft_tracker *t, const struct ev_syscall *ev, int64_t proc_id,
	       int64_t sc_id, const char *comm, int64_t *fd_id)
{
	int ret;

	t->comm = comm;
	ret = replay(t, ev, proc_id, sc_id, fd_id);
	t->comm = NULL;
	return ret;
}

int ft_fork(struct ft_tracker *t, uint32_t parent_pid, uint32_t child_pid,
	    int64_t child_proc_id, uint64_t ts)
{
	struct ft_proc *parent = hm_get(&t->procs, parent_pid);
	size_t i = 0;
	uint64_t key;
	void *val;
	int ret;

	if (!parent || parent_pid == child_pid)
		return 0;
	if (parent->cwd) {
		ret = set_cwd(t, child_pid, path_get(parent->cwd));
		if (ret)
			return ret;
	}
	while (hm_next(&parent->fds, &i, &key, &val)) {
		struct ft_fd *f = val;

		ret = fd_install(t, child_pid, child_proc_id, f->row.fd, path_get(f->path),
				 "inherited", ts, 0, f->row.id, f->row.cloexec) ?:
		      set_wronly(t, child_pid, f->row.fd, f->wronly);
		if (ret)
			return ret;
	}
	return 0;
}

int ft_exec(struct ft_tracker *t, uint32_t pid, uint64_t ts)
{
	struct ft_proc *p = hm_get(&t->procs, pid);
	size_t i;
	uint64_t key;
	void *val;
	int ret;

	if (!p)
		return 0;
	/* restart the scan after each removal: deletion shifts slots */
	for (i = 0; hm_next(&p->fds, &i, &key, &val);) {
		struct ft_fd *f = val;

		if (!f->row.cloexec)
			continue;
		hm_del(&p->fds, key);
		ret = fd_end(t, f, ts, "exec-cloexec", 0);
		if (ret)
			return ret;
		i = 0;
	}
	return 0;
}

int ft_exit(struct ft_tracker *t, uint32_t pid, uint64_t ts, const char *how)
{
	struct ft_proc *p = hm_del(&t->procs, pid);
	size_t i = 0;
	uint64_t key;
	void *val;
	int ret = 0;

	if (!p)
		return 0;
	while (!ret && hm_next(&p->fds, &i, &key, &val)) {
		struct ft_fd *f = val;

		f->row.closed = 1;
		f->row.closed_ts = ts;
		f->row.closed_how = how;
		ret = t->emit(t->ctx, &f->row);
	}
	proc_free(p);
	return ret;
}

int ft_finish(struct ft_tracker *t)
{
	size_t i = 0, j;
	uint64_t key;
	void *val;
	int ret;

	while (hm_next(&t->procs, &i, &key, &val)) {
		struct ft_proc *p = val;
		void *fv;

		for (j = 0; hm_next(&p->fds, &j, &key, &fv);) {
			ret = t->emit(t->ctx, &((struct ft_fd *)fv)->row);
			if (ret)
				return ret;
		}
	}
	return 0;
}
