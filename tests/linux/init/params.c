// SPDX-License-Identifier: MIT
/* The guest program's command-line parameters (params.h). */
#include "tests/linux/init/params.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

int params_sha256(const char *text, char *hex)
{
	size_t i;

	if (strlen(text) != SHA256_HEX_LEN)
		return -EINVAL;
	for (i = 0; i < SHA256_HEX_LEN; i++)
		if (!isxdigit((unsigned char)text[i]))
			return -EINVAL;
	for (i = 0; i < SHA256_HEX_LEN; i++)
		hex[i] = (char)tolower((unsigned char)text[i]);
	hex[SHA256_HEX_LEN] = '\0';
	return 0;
}

/* The number (decimal, or hexadecimal after "0x") at *@p, advancing *@p past it. */
static int parse_number(const char **p, uint64_t *out)
{
	unsigned int base = 10, digit;
	uint64_t v = 0;
	const char *s = *p;
	bool any = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			digit = (unsigned int)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			digit = (unsigned int)(tolower((unsigned char)*s) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - digit) / base)
			return -ERANGE;
		v = v * base + digit;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

int params_region(const char *text, uint64_t *offset, uint64_t *len)
{
	const char *p = text;
	uint64_t o, l;
	int err;

	err = parse_number(&p, &o);
	if (err)
		return err;
	if (*p++ != '+')
		return -EINVAL;
	err = parse_number(&p, &l);
	if (err)
		return err;
	if (*p != '\0' || l == 0 || o % PARAMS_REGION_ALIGN || l % PARAMS_REGION_ALIGN)
		return -EINVAL;
	if (l > PARAMS_REGION_MAX || o > PARAMS_REGION_END - l)
		return -ERANGE;
	*offset = o;
	*len = l;
	return 0;
}

int params_tftp(const char *text, char *file, char *hex)
{
	const char *colon = strrchr(text, ':');
	size_t file_len;

	if (!colon || colon == text)
		return -EINVAL;
	file_len = (size_t)(colon - text);
	if (file_len >= PARAMS_FILE_MAX)
		return -E2BIG;
	if (params_sha256(colon + 1, hex))
		return -EINVAL;
	memcpy(file, text, file_len);
	file[file_len] = '\0';
	return 0;
}
