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

/* Appends @n bytes to the current word. */
static void line_append(struct line *l, const char *text, size_t n)
{
	if (l->overflow || n == 0)
		return;
	if (l->len + n >= l->size) {
		l->overflow = true;
		return;
	}
	memcpy(l->out + l->len, text, n);
	l->len += n;
}

/* Starts a new word (a space first unless the line is empty) with @n bytes of @word. */
static void line_put_word(struct line *l, const char *word, size_t n)
{
	if (n == 0)
		return;
	if (l->len)
		line_append(l, " ", 1);
	line_append(l, word, n);
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

/* Whether the UCS-2 word @w of @n characters ends in ".efi", in any case. */
static bool ends_with_efi(const uint16_t *w, size_t n)
{
	static const char suffix[] = ".efi";
	size_t k = sizeof(suffix) - 1;

	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		uint16_t c = w[n - k + i];

		if (c >= 'A' && c <= 'Z')
			c = (uint16_t)(c - 'A' + 'a');
		if (c != (uint16_t)suffix[i])
			return false;
	}
	return true;
}

int loadopt_to_cmdline(const uint16_t *opt, size_t bytes, char *out, size_t size)
{
	struct line l = { .out = out, .size = size };
	size_t chars = bytes / sizeof(uint16_t), n = 0, i = 0;
	bool first = true;

	if (size)
		out[0] = '\0';
	if (!opt || bytes % sizeof(uint16_t))
		return 0;
	while (n < chars && opt[n]) {
		if (opt[n] > ASCII_MAX || (opt[n] < ' ' && !is_space(opt[n])))
			return 0;
		n++;
	}
	while (i < n) {
		size_t start;

		while (i < n && is_space(opt[i]))
			i++;
		start = i;
		while (i < n && !is_space(opt[i]))
			i++;
		/* The UEFI shell passes the program's own name as the first word. */
		if (first && ends_with_efi(opt + start, i - start)) {
			first = false;
			continue;
		}
		first = false;
		/* The characters were checked to be ASCII above. */
		for (size_t k = start; k < i; k++) {
			char c = (char)opt[k];

			if (k == start)
				line_put_word(&l, &c, 1);
			else
				line_append(&l, &c, 1);
		}
	}
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
