// SPDX-License-Identifier: GPL-2.0
/*
 * For `make regress` on a host whose glibc predates 2.38 (Debian 12 has
 * 2.36): Debian trixie's static libnuma.a and libcap.a call the C23 names
 * glibc 2.38 gave sscanf() and strto*(), which the host's libc.a lacks.
 * scripts/build-regress.sh links this file into the mm selftests only when
 * the host's C library does not have them. The C23 functions differ from
 * the old ones only in reading a "0b" prefix, which these libraries never
 * parse (they read numbers from /proc and /sys).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int __isoc23_sscanf(const char *s, const char *fmt, ...);
long __isoc23_strtol(const char *s, char **end, int base);
long long __isoc23_strtoll(const char *s, char **end, int base);
unsigned long __isoc23_strtoul(const char *s, char **end, int base);
unsigned long long __isoc23_strtoull(const char *s, char **end, int base);

int __isoc23_sscanf(const char *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsscanf(s, fmt, ap);
	va_end(ap);
	return n;
}

long __isoc23_strtol(const char *s, char **end, int base)
{
	return strtol(s, end, base);
}

long long __isoc23_strtoll(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

unsigned long __isoc23_strtoul(const char *s, char **end, int base)
{
	return strtoul(s, end, base);
}

unsigned long long __isoc23_strtoull(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}
