// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The per-CPU rings, read in place (mmap, as libbpf does) so that the
 * records of all CPUs can be merged in time order before the writer copies
 * them: the trace keeps the one order the analysis replays in. Two rings a
 * CPU: a BPF ring buffer (every record kind) and an xring (syscall records
 * without a tail, bpfrec.h); the merge treats them alike.
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "drain.h"
#include "merge.h"
#include "records.h"
#include "trace_format.h"

/*
 * A record is written once every ring's records up to its time are in: one
 * stamped more than this before it was committed could otherwise be
 * overtaken by another CPU's later ones. Records newer than this stay in
 * their ring for the next round (the probes wake us per bytes produced, not
 * pending, so they still wake us per batch).
 */
#define ORDER_SLACK_NS 10000000ull

struct drain {
	struct merge m; /* the ring buffers, then the xrings */
	int *fds; /* the ring buffers' */
	int nbuf; /* ring buffers created */
	size_t buf_map_len; /* the mapping of each one's producer page and data */
	void *xmap; /* the xrings' array map, mmapped */
	size_t xmap_len;
	int epfd; /* edge-triggered: woken per batch, not while data is pending */
	struct bf_writer *w;
	const uint32_t *sys_flags;
	uint64_t counts[GRP_MAX];
};

/* merge_emit_fn: count and write one record */
static int on_record(void *ctx, const void *data, size_t size)
{
	struct drain *d = ctx;
	const struct ev_hdr *h = data;
	const struct bf_rec_desc *desc;

	/* The kernel reserves the largest size and sets h.size to the used part. */
	if (size < sizeof(*h) || h->size < sizeof(*h) || h->size > size)
		return 0;
	desc = bf_rec_desc(h->type);
	if (!desc || (h->type >= BF_EV_TYPE_END && h->type != META_DROP_WINDOW))
		return 0;
	if (desc->group >= 0)
		d->counts[desc->group]++;
	if (h->type == EV_SYSCALL) {
		const struct ev_syscall *e = data;

		/* the files group: the SF_FILES subset of the syscalls */
		if ((uint32_t)e->nr < BPFREC_NR_SYSCALLS && (d->sys_flags[e->nr] & SF_FILES))
			d->counts[GRP_FILES]++;
	}
	return bf_writer_append(d->w, BF_BLK_EVENTS, data);
}

static int merge(struct drain *d, uint64_t limit)
{
	return merge_round(&d->m, limit, on_record, d);
}

/* Create D's ring buffer I and map it in place for the merge. */
static int ring_open(struct drain *d, int i, uint32_t size)
{
	struct merge_ring *r = &d->m.rings[i];
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	d->fds[i] = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, size, NULL);
	if (d->fds[i] < 0)
		return -errno;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, d->fds[i], 0);
	if (p == MAP_FAILED)
		return -errno;
	r->consumer = p;
	d->buf_map_len = page + 2 * (size_t)size;
	p = mmap(NULL, d->buf_map_len, PROT_READ, MAP_SHARED, d->fds[i], page);
	if (p == MAP_FAILED)
		return -errno;
	r->producer = p;
	r->data = (const unsigned char *)p + page;
	r->mask = size - 1;
	return 0;
}

static void ring_close(struct drain *d, int i)
{
	struct merge_ring *r = &d->m.rings[i];
	long page = sysconf(_SC_PAGESIZE);

	if (r->producer)
		munmap((void *)r->producer, d->buf_map_len);
	if (r->consumer)
		munmap(r->consumer, page);
	if (d->fds[i] >= 0)
		close(d->fds[i]);
}

size_t drain_xring_value_size(uint32_t xring_bytes)
{
	size_t page = sysconf(_SC_PAGESIZE);

	/* whole pages: each CPU's xring starts on its own */
	return (sizeof(struct xring_hdr) + xring_bytes + XRING_SLACK + page - 1) / page * page;
}

/* Map the xrings (an mmapable array, a value per CPU) after D's ring buffers. */
static int xrings_open(struct drain *d, struct bpf_map *xrings, uint32_t xring_bytes)
{
	size_t value = bpf_map__value_size(xrings);
	int n = bpf_map__max_entries(xrings);

	d->xmap_len = value * n;
	d->xmap = mmap(NULL, d->xmap_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(xrings), 0);
	if (d->xmap == MAP_FAILED) {
		d->xmap = NULL;
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		struct xring_hdr *x = (void *)((char *)d->xmap + i * value);
		struct merge_ring *r = &d->m.rings[d->nbuf + i];

		r->x = true;
		r->consumer = (unsigned long *)&x->cons;
		r->producer = (const unsigned long *)&x->prod;
		r->data = (const unsigned char *)(x + 1);
		r->mask = xring_bytes - 1;
	}
	return 0;
}

int drain_open(struct drain **dp, struct bpf_map *events, uint32_t ring_bytes,
	       struct bpf_map *xrings, uint32_t xring_bytes, struct bf_writer *w,
	       const uint32_t *sys_flags)
{
	struct drain *d = calloc(1, sizeof(*d));
	int nbuf = bpf_map__max_entries(events), err;

	if (!d)
		return -ENOMEM;
	d->w = w;
	d->sys_flags = sys_flags;
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0) {
		err = -errno;
		goto fail;
	}
	err = merge_init(&d->m, nbuf + bpf_map__max_entries(xrings));
	d->fds = malloc(nbuf * sizeof(*d->fds));
	if (err || !d->fds) {
		err = -ENOMEM;
		goto fail;
	}
	for (d->nbuf = 0; d->nbuf < nbuf && !err; d->nbuf++) {
		uint32_t i = d->nbuf;
		/*
		 * Edge-triggered: libbpf's level-triggered epoll would return at
		 * once whenever a record is pending, a few records per wakeup.
		 */
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

		err = ring_open(d, i, ring_bytes);
		if (!err && (bpf_map_update_elem(bpf_map__fd(events), &i, &d->fds[i], BPF_ANY) ||
			     epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->fds[i], &ev)))
			err = -errno;
	}
	if (!err)
		err = xrings_open(d, xrings, xring_bytes);
	if (err)
		goto fail;
	*dp = d;
	return 0;
fail:
	drain_close(d);
	return err;
}

int drain_watch(struct drain *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static uint64_t order_limit(void)
{
	return mono_ns() - ORDER_SLACK_NS;
}

int drain_poll(struct drain *d, int timeout_ms, const sigset_t *sigmask)
{
	struct epoll_event ev;
	int n, m;

	/* Empty the rings before sleeping: the next wakeup needs a new batch. */
	n = merge(d, order_limit());
	if (n < 0)
		return n;
	/* held records are written once they are ORDER_SLACK_NS old, not at the next batch */
	if (d->m.held && timeout_ms > (int)(ORDER_SLACK_NS / 1000000))
		timeout_ms = (int)(ORDER_SLACK_NS / 1000000);
	if (epoll_pwait(d->epfd, &ev, 1, timeout_ms, sigmask) < 0 && errno != EINTR)
		return -errno;
	m = merge(d, order_limit());
	return m < 0 ? m : n + m;
}

int drain_all(struct drain *d)
{
	return merge(d, UINT64_MAX);
}

void drain_counts(const struct drain *d, uint64_t counts[GRP_MAX])
{
	for (int g = 0; g < GRP_MAX; g++)
		counts[g] = d->counts[g];
}

void drain_close(struct drain *d)
{
	if (!d)
		return;
	if (d->epfd >= 0)
		close(d->epfd);
	for (int i = 0; i < d->nbuf; i++)
		ring_close(d, i);
	if (d->xmap)
		munmap(d->xmap, d->xmap_len);
	merge_free(&d->m);
	free(d->fds);
	free(d);
}
