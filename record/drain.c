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
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "drain.h"
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

struct ring {
	bool x; /* an xring: no kernel header, h.size is the length */
	int fd;
	unsigned long *consumer; /* shared page, ours to write */
	const unsigned long *producer; /* then the data, mapped twice */
	const unsigned char *data;
	size_t mask, map_len;
	uint64_t cons, prod; /* our position, the producer's at the round's start */
	const struct ev_hdr *head; /* next committed record, or NULL */
	uint64_t key; /* its time */
};

struct drain {
	struct ring *rings; /* the ring buffers, then the xrings */
	int nrings;
	void *xmap; /* the xrings' array map, mmapped */
	size_t xmap_len;
	int epfd; /* edge-triggered: woken per batch, not while data is pending */
	struct bf_writer *w;
	const uint32_t *sys_flags;
	uint64_t counts[GRP_MAX];
	bool held; /* records too recent to write were left in their rings */
};

/* The time a record is ordered by: a syscall's exit (when it was committed). */
static uint64_t order_key(const struct ev_hdr *h)
{
	if (h->type == EV_SYSCALL && h->size >= EV_SYSCALL_FIXED) {
		const struct ev_syscall *e = (const void *)h;

		if (e->exit_ts)
			return e->exit_ts;
	}
	return h->ts;
}

/* Find R's next committed record (skipping discarded ones) and its key. */
static void ring_peek(struct ring *r)
{
	r->head = NULL;
	if (r->x && r->cons < r->prod) {
		const struct ev_hdr *h = (const void *)(r->data + (r->cons & r->mask));

		/* only our programs write it: a bad size would be our bug, not data */
		if (h->size < sizeof(*h) || h->size > XRING_SLACK || h->size % 8) {
			fprintf(stderr, "record: xring: a record of %u bytes: skipped the rest\n",
				h->size);
			r->cons = r->prod;
			return;
		}
		r->head = h;
		r->key = order_key(h);
		return;
	}
	while (!r->x && r->cons < r->prod) {
		const uint32_t *len_p = (const void *)(r->data + (r->cons & r->mask));
		uint32_t len = __atomic_load_n(len_p, __ATOMIC_ACQUIRE);

		if (len & BPF_RINGBUF_BUSY_BIT)
			return;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			r->head = (const void *)(len_p + 2);
			/* a record too short for its header is dropped by on_record */
			r->key = len >= sizeof(struct ev_hdr) ? order_key(r->head) : 0;
			return;
		}
		r->cons += ((len & ~BPF_RINGBUF_DISCARD_BIT) + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
	}
}

/* The length of R's head record. */
static uint32_t ring_len(const struct ring *r)
{
	return r->x ? r->head->size : *((const uint32_t *)r->head - 2) & ~BPF_RINGBUF_DISCARD_BIT;
}

static void ring_advance(struct ring *r)
{
	uint32_t len = ring_len(r);

	r->cons += r->x ? len : (len + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
	ring_peek(r);
}

static int on_record(struct drain *d, const void *data, size_t size)
{
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

/*
 * Write, in time order, every ring's records stamped up to LIMIT. A ring
 * a quarter full (a batch woke us) is emptied whatever the time: holding its records back for
 * order would soon fill it, and losing events is worse than an order
 * inverted within ORDER_SLACK_NS (FORMAT.md says so).
 */
static int merge(struct drain *d, uint64_t limit)
{
	int n = 0, err = 0;

	d->held = false;
	for (int i = 0; i < d->nrings; i++) {
		struct ring *r = &d->rings[i];

		r->cons = __atomic_load_n(r->consumer, __ATOMIC_RELAXED);
		r->prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
		if (r->prod - r->cons >= (r->mask + 1) / 4)
			limit = UINT64_MAX;
		ring_peek(r);
	}
	for (;;) {
		struct ring *best = NULL;

		for (int i = 0; i < d->nrings; i++) {
			struct ring *r = &d->rings[i];

			if (r->head && r->key <= limit && (!best || r->key < best->key))
				best = r;
		}
		if (!best)
			break;
		err = on_record(d, best->head, ring_len(best));
		if (err)
			break;
		ring_advance(best);
		n++;
	}
	/* the space of what was taken goes back to the probes */
	for (int i = 0; i < d->nrings; i++) {
		__atomic_store_n(d->rings[i].consumer, d->rings[i].cons, __ATOMIC_RELEASE);
		d->held |= d->rings[i].head != NULL;
	}
	return err ?: n;
}

static int ring_open(struct ring *r, uint32_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	r->fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, size, NULL);
	if (r->fd < 0)
		return -errno;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->consumer = p;
	r->map_len = page + 2 * (size_t)size;
	p = mmap(NULL, r->map_len, PROT_READ, MAP_SHARED, r->fd, page);
	if (p == MAP_FAILED)
		return -errno;
	r->producer = p;
	r->data = (const unsigned char *)p + page;
	r->mask = size - 1;
	return 0;
}

static void ring_close(struct ring *r)
{
	long page = sysconf(_SC_PAGESIZE);

	if (r->x)
		return; /* part of the xrings' one mapping */
	if (r->producer)
		munmap((void *)r->producer, r->map_len);
	if (r->consumer)
		munmap(r->consumer, page);
	if (r->fd >= 0)
		close(r->fd);
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
		struct ring *r = &d->rings[d->nrings++];

		r->x = true;
		r->fd = -1;
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
	int nbuf = bpf_map__max_entries(events), err = 0;

	if (!d)
		return -ENOMEM;
	d->w = w;
	d->sys_flags = sys_flags;
	d->nrings = nbuf;
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->rings = calloc(nbuf + bpf_map__max_entries(xrings), sizeof(*d->rings));
	if (!d->rings || d->epfd < 0) {
		err = d->rings ? -errno : -ENOMEM;
		d->nrings = 0;
		goto fail;
	}
	for (int i = 0; i < d->nrings; i++)
		d->rings[i].fd = -1;
	for (uint32_t i = 0; i < (uint32_t)nbuf && !err; i++) {
		struct ring *r = &d->rings[i];
		/*
		 * Edge-triggered: libbpf's level-triggered epoll would return at
		 * once whenever a record is pending, a few records per wakeup.
		 */
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

		err = ring_open(r, ring_bytes);
		if (!err && (bpf_map_update_elem(bpf_map__fd(events), &i, &r->fd, BPF_ANY) ||
			     epoll_ctl(d->epfd, EPOLL_CTL_ADD, r->fd, &ev)))
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
	if (d->held && timeout_ms > (int)(ORDER_SLACK_NS / 1000000))
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
	for (int i = 0; i < d->nrings; i++)
		ring_close(&d->rings[i]);
	if (d->xmap)
		munmap(d->xmap, d->xmap_len);
	free(d->rings);
	free(d);
}
