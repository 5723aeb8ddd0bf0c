// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>

#include "hashmap.h"

static size_t hm_hash(uint64_t key)
{
	/* splitmix64 finalizer: pids and fds are small, dense integers */
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ull;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebull;
	key ^= key >> 31;
	return (size_t)key;
}

void hm_init(struct hm *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->len = 0;
}

void hm_fini(struct hm *m)
{
	free(m->slots);
	hm_init(m);
}

void hm_fini_free(struct hm *m, void (*free_val)(void *val))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].val)
			free_val(m->slots[i].val);
	hm_fini(m);
}

static struct hm_slot *hm_find(const struct hm *m, uint64_t key)
{
	size_t mask = m->cap - 1, i;

	if (!m->cap)
		return NULL;
	for (i = hm_hash(key) & mask;; i = (i + 1) & mask) {
		struct hm_slot *s = &m->slots[i];

		if (!s->val || s->key == key)
			return s;
	}
}

void *hm_get(const struct hm *m, uint64_t key)
{
	struct hm_slot *s = hm_find(m, key);

	return s ? s->val : NULL;
}

static int hm_grow(struct hm *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64, i, mask = ncap - 1;
	struct hm_slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		struct hm_slot *s = &m->slots[i];
		size_t j;

		if (!s->val)
			continue;
		for (j = hm_hash(s->key) & mask; ns[j].val; j = (j + 1) & mask)
			;
		ns[j] = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int hm_put(struct hm *m, uint64_t key, void *val)
{
	struct hm_slot *s;

	/* keep the load factor under 1/2 so probe runs stay short */
	if ((m->len + 1) * 2 > m->cap && hm_grow(m))
		return -ENOMEM;
	s = hm_find(m, key);
	if (!s->val)
		m->len++;
	s->key = key;
	s->val = val;
	return 0;
}

void *hm_del(struct hm *m, uint64_t key)
{
	struct hm_slot *s = hm_find(m, key);
	size_t mask = m->cap - 1, i, j;
	void *val;

	if (!s || !s->val)
		return NULL;
	val = s->val;
	m->len--;
	/* backward shift: move later entries of the run into the hole */
	i = (size_t)(s - m->slots);
	for (j = (i + 1) & mask; m->slots[j].val; j = (j + 1) & mask) {
		size_t home = hm_hash(m->slots[j].key) & mask;

		/* entry at j may fill hole i only if its home is not in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].val = NULL;
	return val;
}

int hm_next(const struct hm *m, size_t *pos, uint64_t *key, void **val)
{
	for (; *pos < m->cap; (*pos)++) {
		struct hm_slot *s = &m->slots[*pos];

		if (s->val) {
			*key = s->key;
			*val = s->val;
			(*pos)++;
			return 1;
		}
	}
	return 0;
}
