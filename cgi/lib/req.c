/*
 * req: argument parsing and declared-field validation. See req.h.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "money.h"
#include "multipart.h"
#include "req.h"
#include "resp.h"
#include "text.h"

/* A FastCGI parameter (CONTENT_TYPE, REMOTE_ADDR, ...) or NULL. */
const char *
req_env(const struct req *r, const char *name)
{
	return r->fx != NULL ? FCGX_GetParam(name, r->fx->envp) : NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode s[0..n) into the arena ("+" is a space). */
static char *
urldecode(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	char	*o = arena_alloc(a, n + 1);
	size_t	 i, k = 0;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			o[k++] = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    (h = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = hexval((unsigned char)s[i + 2])) >= 0) {
			o[k++] = (char)(h * 16 + l);
			i += 2;
		} else
			o[k++] = s[i];
	}
	o[k] = '\0';
	*outlen = k;
	return o;
}

/*
 * Parse an application/x-www-form-urlencoded string into r->args.
 * 0, or -1 when there are more than REQ_MAX_ARGS arguments.
 */
int
req_parse_query(struct req *r, const char *qs, size_t len)
{
	const char	*p = qs, *end = qs + len, *amp, *eq;
	size_t		 klen, vlen;

	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp > p) {
			if (r->nargs == REQ_MAX_ARGS)
				return -1;
			eq = memchr(p, '=', (size_t)(amp - p));
			if (eq == NULL)
				eq = amp;
			r->args[r->nargs].key = urldecode(r->a, p,
			    (size_t)(eq - p), &klen);
			r->args[r->nargs].val = eq < amp ?
			    urldecode(r->a, eq + 1, (size_t)(amp - eq - 1),
			    &vlen) : (vlen = 0, "");
			r->args[r->nargs].len = vlen;
			r->nargs++;
		}
		p = amp + 1;
	}
	return 0;
}

/*
 * Parse a multipart/form-data body (Content-Type header ctype, with its
 * boundary): text parts into r->args as a form's fields, file parts into
 * r->files (an empty file input, no name and no bytes, is left out).
 * 0, or -1 when the body is not a whole multipart body or has more than
 * REQ_MAX_ARGS fields or REQ_MAX_FILES files.
 */
int
req_parse_multipart(struct req *r, const char *ctype, const char *body,
    size_t len)
{
	struct mp_part	*parts;
	size_t		 n, i;

	parts = arena_alloc(r->a, REQ_MAX_ARGS * sizeof(*parts));
	if (mp_parse(r->a, body, len, mp_boundary(r->a, ctype), parts,
	    REQ_MAX_ARGS, &n) != MP_OK)
		return -1;
	for (i = 0; i < n; i++) {
		if (parts[i].filename == NULL) {
			if (r->nargs == REQ_MAX_ARGS)
				return -1;
			r->args[r->nargs].key = parts[i].name;
			r->args[r->nargs].val = arena_strndup(r->a,
			    parts[i].data, parts[i].len);
			r->args[r->nargs++].len = parts[i].len;
			continue;
		}
		if (*parts[i].filename == '\0' && parts[i].len == 0)
			continue;
		if (r->nfiles == REQ_MAX_FILES)
			return -1;
		r->files[r->nfiles].field = parts[i].name;
		r->files[r->nfiles].name = parts[i].filename;
		r->files[r->nfiles].data = parts[i].data;
		r->files[r->nfiles++].len = parts[i].len;
	}
	return 0;
}

static int
hex4(const char *s, size_t n)
{
	int	 v = 0, h, i;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((h = hexval((unsigned char)s[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * Does the JSON text escape a lone UTF-16 surrogate ("\ud800")? json-c
 * would turn it into U+FFFD silently; such a text is not valid Unicode.
 */
static int
json_lone_surrogate(const char *s, size_t n)
{
	size_t	 i;
	int	 c, lo;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] != 'u') {
			i++;
			continue;
		}
		if ((c = hex4(s + i + 2, n - i - 2)) < 0)
			return 0;	/* malformed: the parser says so */
		if (c >= 0xDC00 && c <= 0xDFFF)
			return 1;
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (i + 11 >= n || s[i + 6] != '\\' || s[i + 7] != 'u' ||
			    (lo = hex4(s + i + 8, n - i - 8)) < 0xDC00 ||
			    lo > 0xDFFF)
				return 1;
			i += 6;
		}
		i += 5;
	}
	return 0;
}

/*
 * Parse a JSON body into r->json: strict JSON, valid UTF-8, at most
 * REQ_JSON_DEPTH levels, one object and nothing after it but white space.
 * 0, or -1 (r->json stays NULL).
 */
int
req_parse_json(struct req *r, const char *body, size_t len)
{
	json_tokener	*tok;
	json_object	*o;
	size_t		 end;

	if (len > INT32_MAX || json_lone_surrogate(body, len))
		return -1;
	tok = json_tokener_new_ex(REQ_JSON_DEPTH);
	if (tok == NULL)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, body, (int)len);
	end = json_tokener_get_parse_end(tok);
	while (end < len && strchr(" \t\r\n", body[end]) != NULL &&
	    body[end] != '\0')
		end++;
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    end != len || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	r->json = o;
	return 0;
}

/* The value of cookie name, or NULL. */
const char *
req_cookie(struct req *r, const char *name)
{
	const char	*c = req_env(r, "HTTP_COOKIE"), *p, *end;
	size_t		 n = strlen(name);

	if (c == NULL)
		return NULL;
	for (p = c; *p != '\0'; p = *end ? end + 1 : end) {
		while (*p == ' ')
			p++;
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > n && strncmp(p, name, n) == 0 &&
		    p[n] == '=')
			return arena_strndup(r->a, p + n + 1,
			    (size_t)(end - p - n - 1));
	}
	return NULL;
}

/* Does the client prefer an HTML answer (a plain form post)? */
int
req_wants_html(const struct req *r)
{
	const char	*acc = req_env(r, "HTTP_ACCEPT");

	if (acc == NULL || r->ctype == NULL ||
	    (strcmp(r->ctype, "application/x-www-form-urlencoded") != 0 &&
	    strcmp(r->ctype, "multipart/form-data") != 0))
		return 0;
	return strstr(acc, "text/html") != NULL &&
	    strstr(acc, "application/json") == NULL;
}

/* Is y-m-d a real calendar date written YYYY-MM-DD? 1 if so. */
int
req_valid_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = {31,28,31,30,31,30,31,31,30,31,30,31};
	int		 i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1)
		return 0;
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *d <= mdays[*m - 1] + (*m == 2 && leap);
}

/* Find name ("a.b") in the JSON body; NULL if absent or null. */
static json_object *
json_path(json_object *root, struct arena *a, const char *name)
{
	char		*copy = arena_strdup(a, name), *tok, *save = NULL;
	json_object	*cur = root, *next;

	for (tok = strtok_r(copy, ".", &save); tok != NULL;
	    tok = strtok_r(NULL, ".", &save)) {
		if (cur == NULL || !json_object_is_type(cur, json_type_object) ||
		    !json_object_object_get_ex(cur, tok, &next))
			return NULL;
		cur = next;
	}
	return json_object_is_type(cur, json_type_null) ? NULL : cur;
}

/* The form/query spelling "a[b]" of "a.b". */
static const char *
bracket_name(struct arena *a, const char *name)
{
	const char	*dot = strchr(name, '.');

	if (dot == NULL)
		return NULL;
	return arena_printf(a, "%.*s[%s]", (int)(dot - name), name, dot + 1);
}

static size_t
utf8_chars(const char *s, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Check one text value; NULL if fine, else a message. */
static const char *
check_text(struct req *r, const struct field *f, const char *raw,
    size_t len, struct value *v)
{
	size_t	 chars;
	char	*s;

	if (len > 1024 * 1024 || !text_utf8_valid(raw, len))
		return "Không phải văn bản UTF-8 hợp lệ";
	s = f->type == F_TEXT ? text_nfc(r->a, raw, len) :
	    text_clean(r->a, raw, len);
	if (s == NULL)
		return "Không phải văn bản UTF-8 hợp lệ";
	chars = utf8_chars(s, strlen(s));
	if (chars == 0 && (f->flags & F_REQUIRED))
		return "Bắt buộc";
	if (chars == 0) {
		v->set = 0;
		return NULL;
	}
	if ((long long)chars < f->min)
		return arena_printf(r->a, "Quá ngắn (tối thiểu %lld ký tự)",
		    f->min);
	if (f->max > 0 && (long long)chars > f->max)
		return arena_printf(r->a, "Quá dài (tối đa %lld ký tự)",
		    f->max);
	v->set = 1;
	v->s = s;
	v->len = strlen(s);
	return NULL;
}

static const char *
check_int(struct req *r, const struct field *f, const char *s,
    struct value *v)
{
	char		*end;
	long long	 n;

	while (*s == ' ')
		s++;
	if (*s == '\0' || strlen(s) > 19 || (!isdigit((unsigned char)*s) &&
	    *s != '-'))
		return "Phải là một số nguyên";
	n = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (*end != '\0')
		return "Phải là một số nguyên";
	if (n < f->min || n > f->max)
		return arena_printf(r->a, "Phải nằm trong khoảng %lld–%lld",
		    f->min, f->max);
	v->set = 1;
	v->i = n;
	return NULL;
}

/* An amount of đồng as money.h reads it, within [min, max]. */
static const char *
check_money(struct req *r, const struct field *f, const char *s,
    size_t len, struct value *v)
{
	char		 b[40];
	const char	*why;
	long long	 n;

	if (money_parse(r->a, s, len, &n, &why) != 0) {
		if (why != NULL)
			return why;
		return (f->flags & F_REQUIRED) ? "Bắt buộc" : NULL;
	}
	if (n < f->min)
		return arena_printf(r->a, "Phải từ %s trở lên",
		    money_format(b, sizeof(b), f->min));
	if (n > f->max)
		return arena_printf(r->a, "Không được quá %s",
		    money_format(b, sizeof(b), f->max));
	v->set = 1;
	v->i = n;
	return NULL;
}

/* Convert one JSON or text value into v; NULL if fine, else a message. */
static const char *
check_value(struct req *r, const struct field *f, json_object *j,
    const char *txt, size_t txtlen, struct value *v)
{
	char		 buf[32];
	int		 y, m, d;
	const char	*err;

	if (j != NULL) {
		switch (json_object_get_type(j)) {
		case json_type_int:
			if (f->type != F_INT && f->type != F_MONEY)
				return "Sai kiểu dữ liệu";
			snprintf(buf, sizeof(buf), "%lld",
			    (long long)json_object_get_int64(j));
			txt = arena_strdup(r->a, buf);
			txtlen = strlen(txt);
			break;
		case json_type_boolean:
			if (f->type != F_BOOL)
				return "Sai kiểu dữ liệu";
			txt = json_object_get_boolean(j) ? "1" : "0";
			txtlen = 1;
			break;
		case json_type_string:
			txt = json_object_get_string(j);
			txtlen = (size_t)json_object_get_string_len(j);
			break;
		default:
			return "Sai kiểu dữ liệu";
		}
	}
	switch (f->type) {
	case F_INT:
		if (strlen(txt) != txtlen)
			return "Phải là một số nguyên";
		return check_int(r, f, txt, v);
	case F_BOOL:
		if (strcmp(txt, "1") == 0 || strcmp(txt, "true") == 0 ||
		    strcmp(txt, "on") == 0)
			v->i = 1;
		else if (strcmp(txt, "0") == 0 || strcmp(txt, "false") == 0 ||
		    *txt == '\0')
			v->i = 0;
		else
			return "Phải là có hoặc không";
		v->set = 1;
		return NULL;
	case F_DATE:
		if (strlen(txt) != txtlen || !req_valid_date(txt, &y, &m, &d))
			return "Ngày không hợp lệ (định dạng YYYY-MM-DD)";
		v->set = 1;
		v->s = arena_strdup(r->a, txt);
		v->len = 10;
		v->i = y * 10000 + m * 100 + d;
		return NULL;
	case F_STR:
	case F_TEXT:
		if ((err = check_text(r, f, txt, txtlen, v)) != NULL)
			return err;
		return NULL;
	case F_MONEY:
		if (strlen(txt) != txtlen)
			return "Không phải văn bản UTF-8 hợp lệ";
		return check_money(r, f, txt, txtlen, v);
	case F_STRLIST:
		break;
	}
	return "Sai kiểu dữ liệu";
}

/* A list field: a JSON array of strings or a repeated form key. */
static const char *
check_list(struct req *r, const struct field *f, json_object *j,
    struct value *v)
{
	struct field	 one = *f;
	struct value	 item;
	const char	*err, *bname = bracket_name(r->a, f->name);
	const char	*bname2 = arena_printf(r->a, "%s[]", f->name);
	size_t		 i, n = 0, cap;

	one.type = F_STR;
	one.flags = F_REQUIRED;
	one.min = 1;
	cap = j != NULL ? json_object_array_length(j) : r->nargs;
	if ((long long)cap > 50)
		cap = 51;
	v->list = arena_alloc(r->a, (cap + 1) * sizeof(char *));
	for (i = 0; j != NULL && i < json_object_array_length(j); i++) {
		json_object	*e = json_object_array_get_idx(j, i);

		if (n == 50)
			return "Quá nhiều mục (tối đa 50)";
		memset(&item, 0, sizeof(item));
		if (!json_object_is_type(e, json_type_string))
			return "Mỗi mục phải là văn bản";
		if ((err = check_value(r, &one, e, NULL, 0, &item)) != NULL)
			return arena_printf(r->a, "Mục %zu: %s", i + 1, err);
		v->list[n++] = item.s;
	}
	for (i = 0; j == NULL && i < r->nargs; i++) {
		const char	*k = r->args[i].key;

		if (strcmp(k, f->name) != 0 && strcmp(k, bname2) != 0 &&
		    (bname == NULL || strcmp(k, bname) != 0))
			continue;
		if (r->args[i].len == 0)
			continue;
		if (n == 50)
			return "Quá nhiều mục (tối đa 50)";
		memset(&item, 0, sizeof(item));
		if ((err = check_value(r, &one, NULL, r->args[i].val,
		    r->args[i].len, &item)) != NULL)
			return arena_printf(r->a, "Mục %zu: %s", n + 1, err);
		v->list[n++] = item.s;
	}
	if (n == 0 && (f->flags & F_REQUIRED))
		return "Bắt buộc";
	/* The minimum applies to a list that is given (or required). */
	if ((n > 0 || (f->flags & F_REQUIRED)) && (long long)n < f->min)
		return arena_printf(r->a, "Cần ít nhất %lld mục", f->min);
	v->nlist = n;
	v->set = n > 0;
	return NULL;
}

/*
 * Validate the n declared fields into v[0..n). Every failing field is
 * collected; if any fails, a 422 listing them all is written and its
 * status returned. 0 when all are valid.
 */
int
req_fields(struct req *r, const struct field *f, size_t n, struct value *v)
{
	json_object	*errs = NULL, *j;
	const char	*err, *txt, *bname;
	size_t		 i, k, txtlen;

	for (i = 0; i < n; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		err = NULL;
		j = NULL;
		txt = NULL;
		txtlen = 0;
		if (r->json != NULL)
			j = json_path(r->json, r->a, f[i].name);
		else {
			bname = bracket_name(r->a, f[i].name);
			for (k = 0; k < r->nargs; k++)
				if (strcmp(r->args[k].key, f[i].name) == 0 ||
				    (bname != NULL &&
				    strcmp(r->args[k].key, bname) == 0)) {
					txt = r->args[k].val;
					txtlen = r->args[k].len;
					break;
				}
		}
		if (f[i].type == F_STRLIST) {
			if (j != NULL && !json_object_is_type(j,
			    json_type_array))
				err = "Phải là một danh sách";
			else
				err = check_list(r, &f[i], j, &v[i]);
		} else if (j == NULL && (txt == NULL || (txtlen == 0 &&
		    f[i].type != F_STR && f[i].type != F_TEXT))) {
			if (f[i].flags & F_REQUIRED)
				err = "Bắt buộc";
		} else
			err = check_value(r, &f[i], j, txt, txtlen, &v[i]);
		if (err == NULL && v[i].set && f[i].check != NULL)
			err = f[i].check(r, &v[i]);
		if (err != NULL) {
			if (errs == NULL)
				errs = json_object_new_object();
			json_object_object_add(errs, f[i].name,
			    json_object_new_string(err));
		}
	}
	if (errs != NULL)
		return resp_invalid(r, errs);
	return 0;
}

/*
 * req_fields(), the checks of f reading arg (what they find out, such as
 * a row they looked up) in r->check_arg while it runs.
 */
int
req_fields_arg(struct req *r, const struct field *f, size_t n,
    struct value *v, void *arg)
{
	int	 rc;

	r->check_arg = arg;
	rc = req_fields(r, f, n, v);
	r->check_arg = NULL;
	return rc;
}

/*
 * The paging arguments: page >= 1 (default 1), per_page 1..100 (default
 * 20; larger values are capped at 100 as API.md says). 0 or a status.
 */
int
req_page(struct req *r, long long *page, long long *per_page)
{
	static const struct field pf[] = {
		{ "page", F_INT, 0, 1, 1000000000, NULL },
		{ "per_page", F_INT, 0, 1, 1000000000, NULL },
	};
	struct value	 v[2];
	json_object	*saved = r->json;
	int		 rc;

	r->json = NULL;		/* paging always comes in the query */
	rc = req_fields(r, pf, 2, v);
	r->json = saved;
	if (rc != 0)
		return rc;
	*page = v[0].set ? v[0].i : 1;
	*per_page = v[1].set ? (v[1].i > 100 ? 100 : v[1].i) : 20;
	return 0;
}
