// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recorder's merge of the per-CPU rings (record/merge.c) over rings in
 * plain memory, laid out as the kernel and the probes lay them out: a BPF
 * ring buffer (8-byte header, BUSY and DISCARD bits, its data mapped twice)
 * and an xring (no header, a record running into the slack). Known
 * quantities: the exact sequence of records, the exact consumer positions.
 *
 * `test_merge bench` instead prints the merge's cost per record with 4 and
 * 128 rings (no assertions: timing is the machine's).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include "merge.h"

#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
				#cond);                                                    \
			exit(1);                                                           \
		}                                                                          \
	} while (0)

#define RING_BYTES 4096u
#define RB_SPAN(len) (((len) + BPF_RINGBUF_HDR_SZ + 7) & ~7u) /* a ring buffer record's room */

/* A ring in memory: positions and data as the kernel would map them. */
struct tring {
	unsigned long cons, prod;
	unsigned char *data; /* 2 x size: the ring buffer's second mapping, or the slack */
};

/* Rings in memory, one per letter of a kind string (r: ring buffer, x: xring), and their merge. */
struct fix {
	struct merge m;
	struct tring *t;
};

/* Each ring SIZE bytes, its positions at POS (a later lap: positions only grow). */
static void fix_init(struct fix *f, const char *kinds, size_t size, unsigned long pos)
{
	int n = strlen(kinds);

	f->t = calloc(n, sizeof(*f->t));
	CHECK(f->t && merge_init(&f->m, n) == 0);
	for (int i = 0; i < n; i++) {
		struct tring *t = &f->t[i];

		t->data = calloc(2, size);
		CHECK(t->data);
		t->cons = t->prod = pos;
		f->m.rings[i] = (struct merge_ring){ .x = kinds[i] == 'x', .consumer = &t->cons,
						     .producer = &t->prod, .data = t->data,
						     .mask = size - 1 };
	}
}

static void fix_free(struct fix *f)
{
	for (int i = 0; i < f->m.nrings; i++)
		free(f->t[i].data);
	free(f->t);
	merge_free(&f->m);
}

/* Write LEN bytes at position POS of ring RING, in both mappings (a ring buffer's). */
static void tring_write(struct fix *f, int ring, unsigned long pos, const void *src, size_t len)
{
	struct tring *t = &f->t[ring];
	const struct merge_ring *r = &f->m.rings[ring];

	for (size_t i = 0; i < len; i++) {
		size_t off = (pos + i) & r->mask;

		t->data[off] = t->data[off + r->mask + 1] = ((const unsigned char *)src)[i];
	}
}

/*
 * Append REC (h.size bytes) as its probe would: to an xring contiguously
 * (into the slack), to a ring buffer behind a header whose length carries
 * FLAGS (BUSY, DISCARD). Returns its position.
 */
static unsigned long put(struct fix *f, int ring, const void *rec, uint32_t flags)
{
	struct tring *t = &f->t[ring];
	const struct merge_ring *r = &f->m.rings[ring];
	const struct ev_hdr *h = rec;
	unsigned long pos = t->prod;

	if (r->x) {
		memcpy(t->data + (pos & r->mask), rec, h->size);
		t->prod += h->size;
	} else {
		uint32_t hdr[2] = { h->size | flags, 0 };

		tring_write(f, ring, pos, hdr, sizeof(hdr));
		tring_write(f, ring, pos + sizeof(hdr), rec, h->size);
		t->prod += RB_SPAN(h->size);
	}
	return pos;
}

/* Records: a syscall (ordered by EXIT, or TS when 0) or another kind (TS), named ID. */
static struct ev_syscall sys_rec(uint32_t id, uint64_t ts, uint64_t exit)
{
	return (struct ev_syscall){ .h = { .type = EV_SYSCALL, .size = EV_SYSCALL_FIXED,
					   .pid = id, .ts = ts },
				    .exit_ts = exit };
}

static struct ev_hdr other_rec(uint32_t id, uint64_t ts)
{
	return (struct ev_hdr){ .type = EV_EXIT, .size = sizeof(struct ev_hdr), .pid = id,
				.ts = ts };
}

/* What the merge emitted, in order; FAIL_AT: fail the emit of that record (from 1). */
struct got {
	uint32_t ids[8192];
	unsigned char bytes[8][XRING_SLACK]; /* the first records' */
	size_t sizes[8192];
	int n, fail_at;
};

static int collect(void *ctx, const void *rec, size_t size)
{
	struct got *g = ctx;

	if (g->n + 1 == g->fail_at)
		return -ENOSPC;
	CHECK(g->n < 8192 && size <= XRING_SLACK);
	g->ids[g->n] = ((const struct ev_hdr *)rec)->pid;
	if (g->n < 8)
		memcpy(g->bytes[g->n], rec, size);
	g->sizes[g->n++] = size;
	return 0;
}

/* A round over M up to LIMIT: check it emitted exactly WANT (ids, in order). */
static void round_ids(struct merge *m, uint64_t limit, const uint32_t *want, int nwant)
{
	struct got g = { 0 };
	int n = merge_round(m, limit, collect, &g);

	if (n != nwant || g.n != nwant || (nwant && memcmp(g.ids, want, nwant * sizeof(*want)))) {
		fprintf(stderr, "merge: %d records:", n);
		for (int i = 0; i < g.n; i++)
			fprintf(stderr, " %u", g.ids[i]);
		fprintf(stderr, "\n  expected %d:", nwant);
		for (int i = 0; i < nwant; i++)
			fprintf(stderr, " %u", want[i]);
		fprintf(stderr, "\n");
		exit(1);
	}
}
/* round_ids() with the ids listed */
#define ROUND(m, limit, ...)                                                               \
	round_ids((m), (limit), (const uint32_t[]){ __VA_ARGS__ },                            \
		  sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

static void put_sys(struct fix *f, int ring, uint32_t id, uint64_t ts, uint64_t exit)
{
	struct ev_syscall s = sys_rec(id, ts, exit);

	put(f, ring, &s, 0);
}

static void put_other(struct fix *f, int ring, uint32_t id, uint64_t ts)
{
	struct ev_hdr h = other_rec(id, ts);

	put(f, ring, &h, 0);
}

/*
 * Two CPUs' rings (ring buffers 0 and 1, xrings 2 and 3), interleaved keys:
 * a syscall by its exit, one that never returned and other records by
 * their time, ties taken in ring order.
 */
static void test_order(void)
{
	struct fix f;

	fix_init(&f, "rrxx", RING_BYTES, 0);
	put_sys(&f, 0, 1, 1, 10);
	put_other(&f, 0, 2, 20);
	put_sys(&f, 0, 3, 5, 30);
	put_other(&f, 1, 4, 10);
	put_sys(&f, 1, 5, 2, 25);
	put_other(&f, 1, 6, 40);
	put_sys(&f, 2, 7, 3, 15);
	put_sys(&f, 2, 8, 4, 20);
	put_sys(&f, 2, 9, 35, 0);
	put_sys(&f, 3, 10, 6, 10);
	put_sys(&f, 3, 11, 7, 26);
	put_sys(&f, 3, 12, 8, 50);
	ROUND(&f.m, 1000, 1, 4, 10, 7, 2, 8, 5, 11, 3, 9, 6, 12);
	CHECK(!f.m.held);
	for (int i = 0; i < 4; i++)
		CHECK(f.t[i].cons == f.t[i].prod);
	CHECK(f.t[0].cons == 2 * RB_SPAN(48) + RB_SPAN(24) && f.t[2].cons == 3 * 48);
	/* nothing new: nothing again */
	round_ids(&f.m, UINT64_MAX, NULL, 0);
	fix_free(&f);
}

/* A record of ring R and its place in the expected order. */
struct placed {
	uint64_t key;
	int ring;
	uint32_t id;
};

static int placed_cmp(const void *a, const void *b)
{
	const struct placed *p = a, *q = b;

	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	if (p->ring != q->ring)
		return p->ring - q->ring;
	return p->id < q->id ? -1 : p->id > q->id; /* a ring's own order */
}

/*
 * Many rings, many ties, keys from a fixed pseudo-random sequence: the
 * order is that of a plain sort by (key, ring), computed here apart from
 * the merge. Odd ring counts give the heap uneven levels.
 */
static void test_many(int nrings, unsigned seed)
{
	enum { PER_RING = 40 };
	char *kinds = calloc(nrings + 1, 1);
	struct placed *want = calloc(nrings * PER_RING, sizeof(*want));
	uint32_t *ids = calloc(nrings * PER_RING, sizeof(*ids));
	struct fix f;
	int n = 0;

	CHECK(kinds && want && ids);
	for (int i = 0; i < nrings; i++)
		kinds[i] = i % 3 == 2 ? 'x' : 'r';
	fix_init(&f, kinds, RING_BYTES, 0);
	srand(seed);
	for (int i = 0; i < nrings; i++) {
		uint64_t key = 1; /* an exit_ts of 0 would order by h.ts */

		for (int j = 0; j < PER_RING; j++, n++) {
			key += rand() % 4; /* 0: a tie within the ring */
			put_sys(&f, i, n + 1, 1, key);
			want[n] = (struct placed){ key, i, n + 1 };
		}
	}
	qsort(want, n, sizeof(*want), placed_cmp);
	for (int i = 0; i < n; i++)
		ids[i] = want[i].id;
	round_ids(&f.m, UINT64_MAX, ids, n);
	for (int i = 0; i < nrings; i++)
		CHECK(f.t[i].cons == f.t[i].prod);
	fix_free(&f);
	free(kinds);
	free(want);
	free(ids);
}

/* Discarded ring buffer records are skipped by their length without the bit. */
static void test_discard(void)
{
	struct ev_syscall s = sys_rec(2, 3, 4);
	struct ev_hdr wake = other_rec(3, 5);
	struct fix f;

	fix_init(&f, "r", RING_BYTES, 0);
	put_sys(&f, 0, 1, 1, 2);
	put(&f, 0, &s, BPF_RINGBUF_DISCARD_BIT);
	/* the probes' wakeup: an 8-byte record, discarded */
	wake.size = 8;
	put(&f, 0, &wake, BPF_RINGBUF_DISCARD_BIT);
	put_other(&f, 0, 4, 6);
	put(&f, 0, &wake, BPF_RINGBUF_DISCARD_BIT);
	ROUND(&f.m, UINT64_MAX, 1, 4);
	CHECK(f.t[0].cons == 2 * RB_SPAN(48) + RB_SPAN(24) + 2 * RB_SPAN(8));
	CHECK(f.t[0].cons == f.t[0].prod && !f.m.held);
	fix_free(&f);
}

/* A record still being written (BUSY) stops its ring, not the others. */
static void test_busy(void)
{
	struct ev_hdr h = other_rec(2, 20);
	uint32_t len = sizeof(h);
	unsigned long busy;
	struct fix f;

	fix_init(&f, "rx", RING_BYTES, 0);
	put_other(&f, 0, 1, 10);
	busy = put(&f, 0, &h, BPF_RINGBUF_BUSY_BIT);
	put_other(&f, 0, 3, 30);
	put_sys(&f, 1, 4, 1, 15);
	put_sys(&f, 1, 5, 1, 40);
	ROUND(&f.m, UINT64_MAX, 1, 4, 5);
	CHECK(f.t[0].cons == RB_SPAN(24) && f.t[1].cons == 2 * 48);
	/* committed: the rest comes */
	tring_write(&f, 0, busy, &len, sizeof(len));
	ROUND(&f.m, UINT64_MAX, 2, 3);
	CHECK(f.t[0].cons == f.t[0].prod && f.t[0].prod == 3 * RB_SPAN(24));
	fix_free(&f);
}

/*
 * Records newer than the limit stay (inclusive limit), until a ring is a
 * quarter full: then every ring is emptied whatever the time.
 */
static void test_limit(void)
{
	struct ev_syscall s;
	uint32_t id = 10;
	struct fix f;

	fix_init(&f, "rx", RING_BYTES, 0);
	put_other(&f, 0, 1, 100);
	put_other(&f, 0, 2, 200);
	put_other(&f, 0, 3, 300);
	put_sys(&f, 1, 4, 1, 150);
	put_sys(&f, 1, 5, 1, 250);
	ROUND(&f.m, 200, 1, 4, 2);
	CHECK(f.m.held && f.t[0].cons == 2 * RB_SPAN(24) && f.t[1].cons == 48);
	ROUND(&f.m, 299, 5);
	CHECK(f.m.held && f.t[0].cons == 2 * RB_SPAN(24) && f.t[1].cons == 2 * 48);
	ROUND(&f.m, 300, 3);
	CHECK(!f.m.held && f.t[0].cons == f.t[0].prod && f.t[1].cons == f.t[1].prod);

	/* the xring 8 bytes short of a quarter (1016 of 4096): held */
	put_other(&f, 0, 6, 1000);
	for (int i = 0; i < 20; i++)
		put_sys(&f, 1, id++, 1, 1001 + i);
	s = sys_rec(id++, 1, 2000);
	s.h.size = 56;
	put(&f, 1, &s, 0);
	CHECK(f.t[1].prod - f.t[1].cons == RING_BYTES / 4 - 8);
	round_ids(&f.m, 999, NULL, 0);
	CHECK(f.m.held && f.t[0].cons == 3 * RB_SPAN(24) && f.t[1].cons == 2 * 48);
	/* a quarter: all of both rings, the ring buffer's newer record too */
	put_sys(&f, 1, 99, 1, 3000);
	ROUND(&f.m, 999, 6, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
	      27, 28, 29, 30, 99);
	CHECK(!f.m.held && f.t[0].cons == f.t[0].prod && f.t[1].cons == f.t[1].prod);
	fix_free(&f);
}

/* A record that wraps, into an xring's slack or a ring buffer's second mapping, comes whole. */
static void test_wrap(void)
{
	struct ev_syscall a = sys_rec(1, 1, 10), b = sys_rec(2, 1, 20);
	struct ev_syscall c = sys_rec(3, 1, 15), d = sys_rec(4, 1, 25);
	unsigned long start = 3 * RING_BYTES - 16; /* the fourth lap, 16 bytes before its end */
	struct got g = { 0 };
	struct fix f;

	fix_init(&f, "xr", RING_BYTES, start);
	a.args[0] = c.args[0] = 0x1122334455667788ull;
	a.h.size = c.h.size = 56;
	put(&f, 0, &a, 0);
	put(&f, 0, &b, 0);
	put(&f, 1, &c, 0);
	put(&f, 1, &d, 0);
	CHECK(merge_round(&f.m, UINT64_MAX, collect, &g) == 4);
	CHECK(g.ids[0] == 1 && g.ids[1] == 3 && g.ids[2] == 2 && g.ids[3] == 4);
	CHECK(g.sizes[0] == 56 && !memcmp(g.bytes[0], &a, 56));
	CHECK(g.sizes[1] == 56 && !memcmp(g.bytes[1], &c, 56));
	CHECK(g.sizes[2] == 48 && !memcmp(g.bytes[2], &b, 48));
	CHECK(g.sizes[3] == 48 && !memcmp(g.bytes[3], &d, 48));
	CHECK(f.t[0].cons == start + 56 + 48 && f.t[1].cons == start + RB_SPAN(56) + RB_SPAN(48));
	fix_free(&f);
}

/* An emit that fails stops the round: its record and the later ones stay. */
static void test_emit_error(void)
{
	struct got g = { .fail_at = 3 };
	struct fix f;

	fix_init(&f, "xr", RING_BYTES, 0);
	put_sys(&f, 0, 1, 1, 10);
	put_sys(&f, 0, 2, 1, 30);
	put_other(&f, 1, 3, 20);
	put_other(&f, 1, 4, 40);
	CHECK(merge_round(&f.m, UINT64_MAX, collect, &g) == -ENOSPC);
	CHECK(g.n == 2 && g.ids[0] == 1 && g.ids[1] == 3);
	CHECK(f.t[0].cons == 48 && f.t[1].cons == RB_SPAN(24) && f.m.held);
	ROUND(&f.m, UINT64_MAX, 2, 4);
	fix_free(&f);
}

/* An xring record of an impossible size (our bug): the rest of that ring is skipped. */
static void test_bad_xring(void)
{
	struct ev_syscall s = sys_rec(2, 1, 20);
	struct fix f;

	fix_init(&f, "xx", RING_BYTES, 0);
	put_sys(&f, 0, 1, 1, 10);
	s.h.size = 44;
	put(&f, 0, &s, 0);
	put_sys(&f, 0, 3, 1, 30);
	put_sys(&f, 1, 4, 1, 25);
	ROUND(&f.m, UINT64_MAX, 1, 4);
	CHECK(f.t[0].cons == f.t[0].prod && f.t[1].cons == f.t[1].prod);
	fix_free(&f);
}

static int bench_emit(void *ctx, const void *rec, size_t size)
{
	(void)rec;
	*(size_t *)ctx += size;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * NRINGS rings (a ring buffer and an xring per CPU) of 64 KiB, 48-byte
 * syscall records with keys interleaved at random across the rings (the
 * worst case: nearly every record from another ring than the last), merged
 * again and again; the best of several runs.
 */
static void bench(int nrings)
{
	enum { SIZE = 1 << 16, PER_RING = SIZE / 64 };
	char *kinds = calloc(nrings + 1, 1);
	int *left = calloc(nrings, sizeof(*left));
	int total = nrings * PER_RING, reps = 0;
	double best = 1e9;
	size_t sink = 0;
	struct fix f;

	CHECK(kinds && left);
	for (int i = 0; i < nrings; i++) {
		kinds[i] = i % 2 ? 'x' : 'r';
		left[i] = PER_RING;
	}
	fix_init(&f, kinds, SIZE, 0);
	srand(1);
	for (int k = 0; k < total; k++) {
		int i = rand() % nrings;

		while (!left[i])
			i = (i + 1) % nrings;
		left[i]--;
		put_sys(&f, i, k, k, k + 1);
	}
	for (double end = now_s() + 0.5; now_s() < end || reps < 5; reps++) {
		double t0;

		for (int i = 0; i < nrings; i++)
			f.t[i].cons = 0;
		t0 = now_s();
		CHECK(merge_round(&f.m, UINT64_MAX, bench_emit, &sink) == total);
		t0 = now_s() - t0;
		best = t0 < best ? t0 : best;
	}
	printf("merge: %3d rings: %.1f ns per record (%d records, best of %d)\n", nrings,
	       best * 1e9 / total, total, reps);
	fix_free(&f);
	free(kinds);
	free(left);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "bench")) {
		bench(4);
		bench(128);
		return 0;
	}
	test_order();
	test_many(9, 1);
	test_many(128, 2);
	test_discard();
	test_busy();
	test_limit();
	test_wrap();
	test_emit_error();
	test_bad_xring();
	printf("merge: all checks passed\n");
	return 0;
}
