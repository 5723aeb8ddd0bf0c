// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>

#include "term_escape.h"

/*
 * Is the code point encoded at S (LEN bytes, valid) a layout control?
 * U+061C, U+200E/F, U+202A..E, U+2066..9 reorder what the terminal
 * shows around them (Trojan Source), U+2028/9 (line and paragraph
 * separators) may break a row as a newline does, so they are escaped
 * like controls.
 */
static int layout_control(const unsigned char *s, size_t len)
{
	if (len == 2)
		return s[0] == 0xd8 && s[1] == 0x9c;
	if (len != 3 || s[0] != 0xe2)
		return 0;
	if (s[1] == 0x80)
		return s[2] == 0x8e || s[2] == 0x8f || (s[2] >= 0xa8 && s[2] <= 0xae);
	return s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9;
}

/*
 * The length of the valid UTF-8 sequence of 2 to 4 bytes at S (N left),
 * 0: none, or a control to escape.
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	/* no overlong forms, surrogates or code points above U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* U+0080..U+009F: C1 controls (0x9b is CSI to some terminals) */
	if (s[0] == 0xc2 && s[1] <= 0x9f)
		return 0;
	if (layout_control(s, len))
		return 0;
	return len;
}

static int plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

int te_needed(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (plain_ascii(p[i])) {
			i++;
			continue;
		}
		k = p[i] >= 0x80 ? utf8_seq(p + i, n - i) : 0;
		if (!k)
			return 1;
		i += k;
	}
	return 0;
}

size_t te_escape(char *dst, const char *s, size_t n, unsigned *width)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char *d = dst;
	size_t i = 0, k;
	unsigned w = 0;

	while (i < n) {
		unsigned char c = p[i];
		const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" :
				    c == 0x1b ? "\\e" : c == '\\' ? "\\\\" : NULL;

		k = c >= 0x80 ? utf8_seq(p + i, n - i) : 0;
		if (plain_ascii(c) || k) {
			k = k ? k : 1;
			while (k--)
				*d++ = (char)p[i++];
			w++;
			continue;
		}
		if (named) {
			*d++ = named[0];
			*d++ = named[1];
		} else {
			*d++ = '\\';
			*d++ = 'x';
			*d++ = hex[c >> 4];
			*d++ = hex[c & 15];
		}
		w += (unsigned)(named ? 2 : 4);
		i++;
	}
	*width = w;
	return (size_t)(d - dst);
}
