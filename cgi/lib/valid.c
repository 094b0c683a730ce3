/*
 * valid: tax codes (and personal identification numbers), phone numbers
 * and e-mail addresses. See valid.h.
 */
#include <ctype.h>
#include <string.h>

#include "idcode.h"
#include "clock.h"
#include "valid.h"

/*
 * The check digit (the 10th) of a Vietnamese tax code (mã số thuế) from
 * its first nine digits: weights 31 29 23 19 17 13 7 5 3, check =
 * 10 - (sum mod 11). Returns 0..9, or -1 when the rule gives 10 (no code
 * is issued with such a prefix) or the input is not nine digits.
 */
int
valid_tax_check_digit(const char *d)
{
	static const int	 w[9] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };
	int			 i, sum = 0, c;

	for (i = 0; i < 9; i++) {
		if (!isdigit((unsigned char)d[i]))
			return -1;
		sum += (d[i] - '0') * w[i];
	}
	c = 10 - sum % 11;
	return c <= 9 ? c : -1;
}

/*
 * The structure of a 12-digit personal identification number (số định
 * danh cá nhân; Nghị định 137/2015/NĐ-CP art. 13, Thông tư 07/2016/TT-BCA
 * art. 7): the province-of-birth code (3 digits, idcode.c's list), the
 * century-and-sex digit (0/1: born 1900-1999, male/female; 2/3: 2000s;
 * 4/5: 2100s; 6/7: 2200s; 8/9: 2300s), the birth year's last two digits,
 * six more digits. The birth year is not after year.
 */
static enum valid_tax
valid_personal_id(const char *d, int year)
{
	int	 province, century, born;

	province = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
	if (idcode_province(province) == NULL)
		return VALID_TAX_PROVINCE;
	century = 1900 + (d[3] - '0') / 2 * 100;
	if (century > year)
		return VALID_TAX_CENTURY;
	born = century + (d[4] - '0') * 10 + (d[5] - '0');
	if (born > year)
		return VALID_TAX_FUTURE;
	return VALID_TAX_OK;
}

/*
 * Is s a tax code as of year (the current year for a birth year)? Three
 * forms: 10 digits, or 10 digits, '-' and 3 digits for a branch (đơn vị
 * phụ thuộc), the 10th digit being the check digit; or, for households
 * and household businesses since 1 July 2025 (Thông tư 86/2024/TT-BTC
 * art. 38(2)), the representative's 12-digit personal identification
 * number. Spaces around are ignored. On success writes the code to out;
 * returns VALID_TAX_OK or why it is refused.
 */
enum valid_tax
valid_tax_at(const char *s, int year, char out[VALID_TAX_MAX])
{
	size_t	 n, i;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '-')
			return VALID_TAX_CHARS;
	if (n != 10 && n != 12 && n != 14)
		return VALID_TAX_LENGTH;
	for (i = 0; i < n; i++)
		if ((s[i] == '-') != (n == 14 && i == 10))
			return VALID_TAX_CHARS;
	if (n == 12) {
		enum valid_tax	 why = valid_personal_id(s, year);

		if (why != VALID_TAX_OK)
			return why;
	} else if (valid_tax_check_digit(s) != s[9] - '0')
		return VALID_TAX_CHECK;
	memcpy(out, s, n);
	out[n] = '\0';
	return VALID_TAX_OK;
}

/* valid_tax_at() as of this year: 1 if s is a tax code. */
int
valid_tax_code(const char *s, char out[VALID_TAX_MAX])
{
	return valid_tax_at(s, clock_year_vn(), out) == VALID_TAX_OK;
}

/* What to tell the person who typed a code refused for why. */
const char *
valid_tax_why(enum valid_tax why)
{
	switch (why) {
	case VALID_TAX_OK:
		break;
	case VALID_TAX_LENGTH:
		return "Sai độ dài: doanh nghiệp, hợp tác xã nhập mã số thuế 10"
		    " chữ số (chi nhánh: 10 chữ số, dấu - và 3 chữ số); hộ kinh"
		    " doanh nhập số định danh cá nhân (số CCCD) 12 chữ số của"
		    " người đại diện";
	case VALID_TAX_CHARS:
		return "Chỉ nhập chữ số: mã số thuế 10 chữ số (chi nhánh: 10"
		    " chữ số, dấu - và 3 chữ số) hoặc số định danh cá nhân (số"
		    " CCCD) 12 chữ số";
	case VALID_TAX_CHECK:
		return "Mã số thuế không hợp lệ: chữ số thứ 10 (chữ số kiểm"
		    " tra) không khớp với 9 chữ số đầu; hãy xem lại từng chữ số";
	case VALID_TAX_PROVINCE:
		return "Số định danh cá nhân không hợp lệ: 3 chữ số đầu không"
		    " phải mã tỉnh, thành phố nơi đăng ký khai sinh (ví dụ Hà"
		    " Tĩnh là 042)";
	case VALID_TAX_CENTURY:
		return "Số định danh cá nhân không hợp lệ: chữ số thứ 4 (mã thế"
		    " kỷ và giới tính) chỉ dùng cho người sinh từ năm 2100 trở"
		    " đi; người sinh 1900-1999 có 0 hoặc 1, sinh từ 2000 có 2"
		    " hoặc 3";
	case VALID_TAX_FUTURE:
		return "Số định danh cá nhân không hợp lệ: năm sinh (chữ số thứ"
		    " 4 đến 6) ở sau năm nay";
	}
	return "";
}

/*
 * Is s a Vietnamese phone number? Accepts spaces, dots, dashes and
 * brackets between digits, and the country code as "+84", "84" or
 * "0084": "0912 345 678", "+84 912345678", "84912345678". Mobile numbers
 * have 10 digits (03x, 05x, 07x, 08x, 09x), landlines 11 (02xx area code,
 * Ha Tinh's is 0239). On success writes the national form ("0912345678")
 * to out and returns 1.
 */
int
valid_phone(const char *s, char out[VALID_PHONE_MAX])
{
	char	 d[32];
	size_t	 n = 0, off = 0;
	int	 plus = 0;

	for (; *s != '\0'; s++) {
		if (*s == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (strchr(" .-()", *s) != NULL)
			continue;
		if (!isdigit((unsigned char)*s) || n + 1 >= sizeof(d))
			return 0;
		d[n++] = *s;
	}
	d[n] = '\0';
	if (plus && strncmp(d, "84", 2) != 0)
		return 0;		/* another country */
	if (strncmp(d, "0084", 4) == 0)
		off = 4;
	else if (strncmp(d, "84", 2) == 0 && (n == 11 || n == 12))
		off = 2;
	else if (plus)
		return 0;
	if (off > 0 && d[off] == '0')
		return 0;		/* "+84 0912..." is a typing mistake */
	out[0] = '0';
	if (off > 0) {
		memcpy(out + 1, d + off, n - off + 1);
		n = n - off + 1;
	} else if (d[0] == '0')
		memcpy(out, d, n + 1);
	else
		return 0;
	if (n == 10 && strchr("35789", out[1]) != NULL)
		return 1;
	if (n == 11 && out[1] == '2')
		return 1;
	return 0;
}

static int
email_atext(int c)
{
	return isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/*
 * Is s a plausible e-mail address (the shape of RFC 5321's, ASCII only):
 * a local part of 1-64 characters of letters, digits and !#$%&'*+/=?^_`{|}~-
 * in dot-separated runs, '@', a domain of at least two dot-separated
 * labels of letters, digits and inner hyphens, the last one letters only;
 * 254 characters at most. 1 if so.
 */
int
valid_email(const char *s)
{
	const char	*at, *p, *label;
	size_t		 n = strlen(s), llen;

	if (n == 0 || n > 254 || (at = strchr(s, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	llen = (size_t)(at - s);
	if (llen == 0 || llen > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++) {
		if (*p == '.' && p[1] == '.')
			return 0;
		if (*p != '.' && !email_atext((unsigned char)*p))
			return 0;
	}
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || p - label > 63 || label[0] == '-' ||
			    p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	}
	if (label == at + 1 || p - label < 2)
		return 0;		/* one label, or a 1-letter TLD */
	for (p = label; *p != '\0'; p++)
		if (!isalpha((unsigned char)*p))
			return 0;
	return 1;
}
