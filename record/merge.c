// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The merge of the per-CPU rings in time order (merge.h): the trace keeps
 * the one order the analysis replays in. The rings are read in place; the
 * records are handed out where they lie and their space given back at the
 * end of a round.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/bpf.h>

#include "merge.h"

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
static void ring_peek(struct merge_ring *r)
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
			/* a record too short for its header is the emitter's to drop */
			r->key = len >= sizeof(struct ev_hdr) ? order_key(r->head) : 0;
			return;
		}
		r->cons += ((len & ~BPF_RINGBUF_DISCARD_BIT) + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
	}
}

/* The length of R's head record. */
static uint32_t ring_len(const struct merge_ring *r)
{
	return r->x ? r->head->size : *((const uint32_t *)r->head - 2) & ~BPF_RINGBUF_DISCARD_BIT;
}

static void ring_advance(struct merge_ring *r)
{
	uint32_t len = ring_len(r);

	r->cons += r->x ? len : (len + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
	ring_peek(r);
}

int merge_init(struct merge *m, int nrings)
{
	m->rings = calloc(nrings, sizeof(*m->rings));
	m->heap = calloc(nrings, sizeof(*m->heap));
	m->nrings = nrings;
	m->held = false;
	if (!m->rings || !m->heap) {
		merge_free(m);
		return -ENOMEM;
	}
	return 0;
}

void merge_free(struct merge *m)
{
	free(m->rings);
	free(m->heap);
	m->rings = NULL;
	m->heap = NULL;
	m->nrings = 0;
}

/* A's head goes before B's: the older, or on a tie the lower ring (a stable order). */
static bool before(const struct merge_head *a, const struct merge_head *b)
{
	return a->key < b->key || (a->key == b->key && a->ring < b->ring);
}

/* Move heap entry I down to its place among the first N. */
static void sift_down(struct merge_head *heap, int i, int n)
{
	struct merge_head e = heap[i];

	for (;;) {
		int c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && before(&heap[c + 1], &heap[c]))
			c++;
		if (!before(&heap[c], &e))
			break;
		heap[i] = heap[c];
		i = c;
	}
	heap[i] = e;
}

/*
 * Rings whose head is due are kept in a binary min-heap by key: log2 of
 * their number comparisons per record (7 at 64 CPUs' 128 rings), not one
 * per ring. A ring leaves the heap for the round once it is empty, stopped
 * at a record still being written, or at one past LIMIT.
 *
 * A ring a quarter full (a batch woke us) is emptied whatever the time:
 * holding its records back for order would soon fill it, and losing events
 * is worse than an order inverted within the caller's slack (FORMAT.md
 * says so).
 */
int merge_round(struct merge *m, uint64_t limit, merge_emit_fn emit, void *ctx)
{
	struct merge_head *heap = m->heap;
	int n = 0, taken = 0, err = 0;

	for (int i = 0; i < m->nrings; i++) {
		struct merge_ring *r = &m->rings[i];

		r->cons = __atomic_load_n(r->consumer, __ATOMIC_RELAXED);
		r->prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
		if (r->prod - r->cons >= (r->mask + 1) / 4)
			limit = UINT64_MAX;
		ring_peek(r);
	}
	for (int i = 0; i < m->nrings; i++) {
		if (m->rings[i].head && m->rings[i].key <= limit)
			heap[n++] = (struct merge_head){ m->rings[i].key, i };
	}
	for (int i = n / 2 - 1; i >= 0; i--)
		sift_down(heap, i, n);
	while (n > 0) {
		struct merge_ring *r = &m->rings[heap[0].ring];

		err = emit(ctx, r->head, ring_len(r));
		if (err)
			break;
		ring_advance(r);
		taken++;
		if (r->head && r->key <= limit)
			heap[0].key = r->key;
		else
			heap[0] = heap[--n];
		sift_down(heap, 0, n);
	}
	/* the space of what was taken goes back to the probes */
	m->held = false;
	for (int i = 0; i < m->nrings; i++) {
		__atomic_store_n(m->rings[i].consumer, m->rings[i].cons, __ATOMIC_RELEASE);
		m->held |= m->rings[i].head != NULL;
	}
	return err ?: taken;
}
