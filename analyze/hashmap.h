/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Open-addressing hash map from a 64-bit key to a pointer, with linear
 * probing and backward-shift deletion (no tombstones), so lookups stay
 * short however many pids and fds come and go during an import.
 */
#ifndef AN_HASHMAP_H
#define AN_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct hm_slot {
	uint64_t key;
	void *val; /* NULL marks an empty slot */
};

struct hm {
	struct hm_slot *slots;
	size_t cap; /* power of two, or 0 before the first insert */
	size_t len;
};

void hm_init(struct hm *m);
void hm_fini(struct hm *m);
/* hm_fini() after passing every value to FREE_VAL. */
void hm_fini_free(struct hm *m, void (*free_val)(void *val));
void *hm_get(const struct hm *m, uint64_t key);
/* Insert or replace; VAL must not be NULL. Returns 0 or -ENOMEM. */
int hm_put(struct hm *m, uint64_t key, void *val);
/* Remove KEY; returns its value or NULL. */
void *hm_del(struct hm *m, uint64_t key);

/* Iterate: for (i = 0; hm_next(m, &i, &key, &val);) ... (no changes while iterating) */
int hm_next(const struct hm *m, size_t *pos, uint64_t *key, void **val);

#endif /* AN_HASHMAP_H */
