/*
 * kc-staff's shared helpers: rows to JSON by a prefix column list
 * (staff.h; only until budget.c, lines.c and applications.c use rows.h),
 * the typed queries' row fetchers, route parameters, and the answers of
 * a failed step inside a transaction (roll back, then answer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "req.h"
#include "resp.h"
#include "rows.h"
#include "staff.h"

/*
 * The current row of q as a JSON object, by the column list cols (see
 * staff.h). It goes, with staff_row() and staff_rows(), once budget.c,
 * lines.c and applications.c read their rows into structs and make JSON
 * through rows.h's column lists as the other resources do.
 */
json_object *
staff_row_json(struct db_res *q, const char *const *cols, size_t n)
{
	json_object	*o = json_object_new_object(), *v;
	const char	*s, *name;
	size_t		 i;

	for (i = 0; i < n; i++) {
		name = cols[i];
		s = db_str(q, i);
		v = NULL;
		switch (*name++) {
		case '#':
			if (s != NULL)
				v = json_object_new_int64(db_int(q, i));
			break;
		case '?':
			v = json_object_new_boolean(s != NULL && db_int(q, i));
			break;
		case '*':
			v = rows_set_json(s);
			break;
		case '$':
			if (s != NULL)
				v = json_tokener_parse(s);
			break;
		default:
			name--;
			v = resp_jstr(s);
		}
		json_object_object_add(o, name, v);
	}
	return o;
}

/* The DB_E* code of the last failed call (never 0). */
int
staff_db_error(const struct req *r)
{
	int	 rc = db_last_error(r->db);

	return rc < 0 ? rc : DB_EFAIL;
}

/*
 * The first row of a statement, q at it in *out: 1, 0 when there is
 * none, < 0 a DB_E* code.
 */
int
staff_first(struct req *r, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, struct db_res **out)
{
	if ((*out = db_squery(r->db, r->a, set, stmt, p, np)) == NULL)
		return staff_db_error(r);
	return db_next(*out) ? 1 : 0;
}

/*
 * One row of a statement as JSON by cols, into *out (NULL when none):
 * > 0 found, 0 not found, < 0 a DB_E* code.
 */
int
staff_row(struct req *r, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, const char *const *cols, size_t n,
    json_object **out)
{
	struct db_res	*q;
	int		 rc;

	*out = NULL;
	if ((rc = staff_first(r, set, stmt, p, np, &q)) > 0)
		*out = staff_row_json(q, cols, n);
	return rc;
}

/* Every row of a statement as a JSON array: the row count, or < 0. */
int
staff_rows(struct req *r, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, const char *const *cols, size_t n,
    json_object **out)
{
	struct db_res	*q;

	*out = NULL;
	if ((q = db_squery(r->db, r->a, set, stmt, p, np)) == NULL)
		return staff_db_error(r);
	*out = json_object_new_array();
	while (db_next(q))
		json_object_array_add(*out, staff_row_json(q, cols, n));
	return (int)q->rows;
}

/*
 * Every row of a statement by cols, answered as 200 {items: [...]}; 5xx
 * when it fails.
 */
int
staff_items(struct req *r, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, const char *const *cols, size_t n)
{
	json_object	*items, *o;

	if (staff_rows(r, set, stmt, p, np, cols, n, &items) < 0)
		return resp_db(r);
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	return resp_json(r, 200, o);
}

/*
 * {merge_id, kept, merged}: a merge of two products or two facilities,
 * the two sides (JSON text) as the queues show them.
 */
json_object *
staff_merge_json(long long id, const char *kept, const char *merged)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "merge_id", json_object_new_int64(id));
	json_object_object_add(o, "kept", json_tokener_parse(kept));
	json_object_object_add(o, "merged", json_tokener_parse(merged));
	return o;
}

/* The first column of a COUNT(*) statement into *out: 1, or < 0. */
int
staff_count(struct req *r, struct db_set *set, int stmt,
    const struct db_param *p, size_t np, long long *out)
{
	struct db_res	*q;
	int		 rc;

	if ((rc = staff_first(r, set, stmt, p, np, &q)) <= 0)
		return rc < 0 ? rc : DB_EFAIL;
	*out = db_int(q, 0);
	return 1;
}

struct db_param
staff_pint(const struct value *v)
{
	return v->set ? DB_INT(v->i) : DB_NULL;
}

struct db_param
staff_pstr(const struct value *v)
{
	return v->set ? DB_STRN(v->s, v->len) : DB_NULL;
}

/* A field's text, NULL when it was not given. */
const char *
staff_vstr(const struct value *v)
{
	return v->set ? v->s : NULL;
}

/* A field's number, none when it was not given. */
long long
staff_vint(const struct value *v, long long none)
{
	return v->set ? v->i : none;
}

/* The answer of a removal: {key: id[, "code": code], "deleted": true}. */
json_object *
staff_deleted_json(const char *key, long long id, const char *code)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, key, json_object_new_int64(id));
	if (code != NULL)
		json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "deleted", json_object_new_boolean(1));
	return o;
}

const char *
staff_id_text(struct req *r, long long id)
{
	return arena_printf(r->a, "%lld", id);
}

/* Route parameter i as a positive id; 0 when it is not one. */
long long
staff_param_id(struct req *r, size_t i)
{
	const char	*s = r->param[i];
	long long	 n = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 15)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* The boolean member key of o (0 when absent). */
int
staff_json_flag(json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_boolean(v);
}

int
staff_not_found(struct req *r)
{
	return resp_fail(r, E_NOT_FOUND, "Không tìm thấy mục này.");
}

/* A typed query's answer rc <= 0 outside a transaction: 404 or 5xx. */
int
staff_absent(struct req *r, int rc)
{
	return rc == 0 ? staff_not_found(r) : resp_db(r);
}

/* Roll back and answer the database error. */
int
staff_fail_db(struct req *r)
{
	db_rollback(r->db);
	return resp_db(r);
}

/* staff_absent() inside a transaction: rolled back first. */
int
staff_tx_absent(struct req *r, int rc)
{
	db_rollback(r->db);
	return staff_absent(r, rc);
}

/*
 * Begin a transaction and lock the row id of statement stmt (its first
 * parameter the id), q at the row in *q: 0, the transaction open; else
 * the status written, rolled back (404 when there is no such row).
 */
int
staff_begin_lock(struct req *r, struct db_set *set, int stmt, long long id,
    struct db_res **q)
{
	int	 rc;

	if (db_begin(r->db) < 0)
		return resp_db(r);
	if ((rc = staff_first(r, set, stmt, DB_ARGS(DB_INT(id)), q)) <= 0)
		return staff_tx_absent(r, rc);
	return 0;
}

/* staff_begin_lock(), the row read into row by the columns c[0..n). */
int
staff_begin_get(struct req *r, struct db_set *set, int stmt, long long id,
    const struct jcol *c, size_t n, void *row)
{
	struct db_res	*q;
	int		 st;

	if ((st = staff_begin_lock(r, set, stmt, id, &q)) == 0)
		rows_read(q, row, c, n);
	return st;
}

/*
 * Rows ia and ib of statement stmt (by id, FOR UPDATE), read by the
 * columns c[0..n) into ra and rb, locked in the order of their ids so
 * that two merges of the same pair wait rather than deadlock: 1, 0 when
 * either is missing, or < 0.
 */
int
staff_get_pair(struct req *r, struct db_set *set, int stmt,
    const struct jcol *c, size_t n, long long ia, void *ra, long long ib,
    void *rb)
{
	int	 rc, first = ia < ib;

	if ((rc = rows_get(r->db, r->a, set, stmt, DB_ARGS(DB_INT(first ? ia :
	    ib)), c, n, first ? ra : rb)) <= 0)
		return rc;
	return rows_get(r->db, r->a, set, stmt, DB_ARGS(DB_INT(first ? ib :
	    ia)), c, n, first ? rb : ra);
}

#define MERGE_JCOL(m, t)	JCOL(#m, staff_merge, m, t),
static const struct jcol merge_cols[] = { STAFF_MERGE_COLS(MERGE_JCOL) };

/*
 * staff_begin_get() of merge id for its undo (stmt: struct staff_merge's
 * columns): 0, the transaction open; else the status written (404, 409
 * undone already, 5xx), rolled back.
 */
int
staff_begin_undo(struct req *r, struct db_set *set, int stmt, long long id,
    struct staff_merge *m)
{
	int	 st;

	if ((st = staff_begin_get(r, set, stmt, id, merge_cols,
	    NELEM(merge_cols), m)) != 0)
		return st;
	if (m->undone_at != NULL)
		return staff_fail_conflict(r, "Lần gộp này đã được hoàn tác.");
	return 0;
}

/* Roll back and answer a 409 with message. */
int
staff_fail_conflict(struct req *r, const char *message)
{
	db_rollback(r->db);
	return resp_fail(r, E_CONFLICT, message);
}

/* A 422 for one field (no rollback: the caller's). */
int
staff_invalid(struct req *r, const char *field, const char *message)
{
	json_object	*f = json_object_new_object();

	json_object_object_add(f, field, json_object_new_string(message));
	return resp_invalid(r, f);
}

/*
 * Write the audit row and commit; answer status with body. before and
 * after are released (after not, when it is the body).
 */
int
staff_commit_audited(struct req *r, const char *action, const char *entity,
    const char *id, json_object *before, json_object *after, int status,
    json_object *body)
{
	int	 rc;

	rc = audit_write(r, action, entity, id, before, after);
	json_object_put(before);
	if (body != after)
		json_object_put(after);
	if (rc < 0 || db_commit(r->db) < 0) {
		json_object_put(body);
		return staff_fail_db(r);
	}
	return resp_json(r, status, body);
}

/* A user name: a-z 0-9 . _ - only. */
const char *
staff_check_username(struct req *r, struct value *v)
{
	const char	*s;

	(void)r;
	for (s = v->s; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '_' || *s == '-'))
			return "Chỉ gồm chữ thường không dấu, số và . _ -";
	return NULL;
}
