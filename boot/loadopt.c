// SPDX-License-Identifier: MIT
/* skiff's command line from UEFI load options (UEFI 2.10, 9.1 EFI_LOADED_IMAGE_PROTOCOL) or
 * from the text of \skiff.cfg. */
#include "boot/loadopt.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define ASCII_MAX 0x7e

static bool is_space(unsigned int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A command line under construction: words joined by single spaces. */
struct line {
	char *out;
	size_t size;
	size_t len;
	bool overflow;
};

static void line_put_word(struct line *l, const char *word, size_t n)
{
	size_t need = n + (l->len ? 1 : 0);

	if (l->overflow || n == 0)
		return;
	if (l->len + need >= l->size) {
		l->overflow = true;
		return;
	}
	if (l->len)
		l->out[l->len++] = ' ';
	memmove(l->out + l->len, word, n);
	l->len += n;
}

static void line_put_words(struct line *l, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start;

		while (i < n && is_space((unsigned char)s[i]))
			i++;
		start = i;
		while (i < n && !is_space((unsigned char)s[i]))
			i++;
		line_put_word(l, s + start, i - start);
	}
}

static int line_finish(struct line *l)
{
	if (l->overflow) {
		if (l->size)
			l->out[0] = '\0';
		return -E2BIG;
	}
	if (l->size)
		l->out[l->len] = '\0';
	return (int)l->len;
}

static bool ends_with_efi(const char *word, size_t n)
{
	static const char suffix[] = ".efi";
	size_t k = sizeof(suffix) - 1;

	return n >= k && strncasecmp(word + n - k, suffix, k) == 0;
}

int loadopt_to_cmdline(const uint16_t *opt, size_t bytes, char *out, size_t size)
{
	struct line l = { .out = out, .size = size };
	size_t chars = bytes / sizeof(uint16_t);
	size_t n = 0, first_end = 0, skip = 0;

	if (size)
		out[0] = '\0';
	if (!opt || bytes % sizeof(uint16_t))
		return 0;
	while (n < chars && opt[n]) {
		if (opt[n] > ASCII_MAX || (opt[n] < ' ' && !is_space(opt[n])))
			return 0;
		n++;
	}
	if (n >= size)
		return size ? -E2BIG : 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)opt[i];
	out[n] = '\0';

	/* Drop the program's own name, which the UEFI shell passes as the first word. */
	while (skip < n && is_space((unsigned char)out[skip]))
		skip++;
	first_end = skip;
	while (first_end < n && !is_space((unsigned char)out[first_end]))
		first_end++;
	if (ends_with_efi(out + skip, first_end - skip))
		skip = first_end;

	/* The words are compacted in place: the write position never passes the read position. */
	line_put_words(&l, out + skip, n - skip);
	return line_finish(&l);
}

int config_to_cmdline(const char *text, size_t len, char *out, size_t size)
{
	struct line l = { .out = out, .size = size };
	size_t i = 0;

	if (size)
		out[0] = '\0';
	for (size_t k = 0; k < len; k++) {
		unsigned char c = (unsigned char)text[k];

		if (c > ASCII_MAX || (c < ' ' && !is_space(c)))
			return -EINVAL;
	}
	while (i < len) {
		size_t start = i;

		while (i < len && text[i] != '\n')
			i++;
		size_t n = i - start;
		const char *s = text + start;
		size_t lead = 0;

		while (lead < n && is_space((unsigned char)s[lead]))
			lead++;
		if (lead < n && s[lead] != '#')
			line_put_words(&l, s, n);
		i++;
	}
	return line_finish(&l);
}
