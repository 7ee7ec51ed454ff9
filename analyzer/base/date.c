/*
 * date.c - civil dates as day numbers (Howard Hinnant's algorithms).
 */
#include <string.h>

#include "base.h"

long
date_from_ymd(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
ymd_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

bool
date_parse(const char *s, size_t len, long *days)
{
	int v[3] = {0, 0, 0}, widths[3] = {4, 2, 2};
	size_t i, p = 0;
	int k;

	if (len != 10)
		return false;
	for (k = 0; k < 3; k++) {
		for (i = 0; i < (size_t)widths[k]; i++, p++) {
			if (s[p] < '0' || s[p] > '9')
				return false;
			v[k] = v[k] * 10 + (s[p] - '0');
		}
		if (k < 2 && s[p++] != '-')
			return false;
	}
	if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > days_in_month(v[0], v[1]))
		return false;
	*days = date_from_ymd(v[0], v[1], v[2]);
	return true;
}

void
date_format(long days, char out[static 11])
{
	char tmp[48];
	int y, m, d;

	ymd_from_days(days, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}
