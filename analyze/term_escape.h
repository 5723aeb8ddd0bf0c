/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text for a terminal: traced strings (paths, command names, argv) are
 * whatever bytes a program chose, and an escape sequence or a newline in
 * one would redraw the screen or forge table rows. The table format shows
 * them C-style instead: \n \r \t \e, other control characters, DEL, C1
 * controls, bidi controls and bytes that are not UTF-8 as \xNN (a C1 or
 * bidi control as the \xNN of each of its bytes), a backslash as \\ so
 * that the escaped form is unambiguous. Printable ASCII and other valid
 * UTF-8 are kept.
 */
#ifndef AN_TERM_ESCAPE_H
#define AN_TERM_ESCAPE_H

#include <stddef.h>

/* The most bytes the escaped form of one byte takes ("\xNN"). */
#define TE_MAX_GROWTH 4

/* Does S (N bytes) need escaping? */
int te_needed(const char *s, size_t n);

/*
 * Write the escaped form of S (N bytes) to DST, which has room for
 * TE_MAX_GROWTH * N bytes; returns its length. *WIDTH gets its display
 * width in columns (one per code point).
 */
size_t te_escape(char *dst, const char *s, size_t n, unsigned *width);

#endif /* AN_TERM_ESCAPE_H */
