/*
 * decision: the approving decision of a published plan as the PDF the
 * office uploaded (plan.doc_*, migration 052). The file is kept in the
 * store of uploaded files, $KC_VAR/files/<sha256 of its content>, outside
 * the web root (cgi/lib/files.c on the staff side); the client's name is
 * never a path. A draft's document, or a plan without one, is not found.
 *
 *	GET /api/plans/{year}/decision.pdf
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "files.h"
#include "log.h"
#include "plan.h"
#include "req.h"
#include "resp.h"
#include "rows.h"

#include "dashboard.h"

/* The largest decision the office may upload: plan.h's PLAN_DOC_MAX. */
#define DECISION_MAX	((off_t)PLAN_DOC_MAX)

enum decision_stmt { S_DECISION, S_DECISION__MAX };

static const char *const decision_sql[] = {
	[S_DECISION] =
	    "SELECT doc_sha256, doc_name FROM plan"
	    " WHERE year = ? AND " SQL_PUBLISHED("plan")
	    " AND doc_sha256 IS NOT NULL",
};

static struct db_set decision_set = DB_SET("dashboard/decision",
    decision_sql);

/* The document of a published plan. */
struct decision_row {
	const char	*sha256;	/* 64 hex digits, lower case */
	const char	*name;		/* as uploaded, or NULL */
};
static const struct jcol decision_cols[] = {
	JCOL("sha256", decision_row, sha256, J_STR),
	JCOL("name", decision_row, name, J_STR),
};

/* The document of year's published plan. <0 a DB_E* code, 0 none, >0. */
static int
q_decision_get(struct req *r, long long year, struct decision_row *out)
{
	return rows_get(r->db, r->a, &decision_set, S_DECISION,
	    DB_ARGS(DB_INT(year)), decision_cols, NELEM(decision_cols), out);
}

static const char NOT_FOUND[] =
    "Không có văn bản quyết định phê duyệt của kế hoạch năm này.";

/* A plan year as the path writes it: four digits in the API's range.
 * 0 and *year, or -1. */
static int
path_year(const char *s, long long *year)
{
	size_t	 i;

	if (s == NULL || strlen(s) != 4)
		return -1;
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0');
	return *year >= REQ_YEAR_MIN && *year <= REQ_YEAR_MAX ? 0 : -1;
}

/*
 * Content-Disposition of the decision of year: an ASCII name of our own
 * (quyet-dinh-ke-hoach-YYYY.pdf) and the uploaded name, percent-encoded
 * (RFC 6266, 8187), when there is one; inline, a browser shows a PDF.
 */
static const char *
disposition(struct arena *a, long long year, const char *name)
{
	if (name == NULL || *name == '\0')
		return arena_printf(a, "inline;"
		    " filename=\"quyet-dinh-ke-hoach-%lld.pdf\"", year);
	return arena_printf(a, "inline; filename=\"quyet-dinh-ke-hoach-%lld"
	    ".pdf\"; filename*=UTF-8''%s", year, resp_pct_encode(a, name));
}

/*
 * The file of hash hex, a PDF of at most DECISION_MAX bytes, into *data
 * (arena) and *len. 0, or -1 (missing, unreadable, too big, not a PDF:
 * logged).
 */
static int
decision_read(struct req *r, const char *hex, char **data, size_t *len)
{
	struct stat	 st;
	const char	*path;
	ssize_t		 got;
	size_t		 off = 0;
	int		 fd;

	path = arena_printf(r->a, "%s/files/%s", conf_var(), hex);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > DECISION_MAX) {
		if (fd >= 0)
			close(fd);
		log_err("decision: %s: missing, unreadable or too big", path);
		return -1;
	}
	*data = arena_alloc(r->a, (size_t)st.st_size + 1);
	while (off < (size_t)st.st_size &&
	    (got = read(fd, *data + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)got;
	close(fd);
	if (off != (size_t)st.st_size || off < 5 ||
	    memcmp(*data, "%PDF-", 5) != 0) {
		log_err("decision: %s: not the PDF it was", path);
		return -1;
	}
	*len = off;
	return 0;
}

/*
 * GET /api/plans/{year}/decision.pdf → the approving decision of the
 * year's published plan: application/pdf, inline with a safe file name,
 * ETag the content's sha256, cached briefly as every public answer.
 * 404 (JSON) for a year without a published plan, a draft, a plan
 * without a document or a document missing from the store; 503.
 */
static int
h_decision_get(struct req *r)
{
	struct decision_row	 d = { NULL, NULL };
	long long		 year;
	char			*data;
	size_t			 len;
	int			 rc;

	if (path_year(r->param[0], &year) != 0)
		return resp_fail(r, E_NOT_FOUND, NOT_FOUND);
	if ((rc = q_decision_get(r, year, &d)) < 0)
		return resp_db(r);
	if (rc == 0 || !files_hash_ok(d.sha256) ||
	    decision_read(r, d.sha256, &data, &len) != 0)
		return resp_fail(r, E_NOT_FOUND, NOT_FOUND);
	r->cache_seconds = PUBLIC_CACHE;
	resp_add_header(r, "Content-Disposition",
	    disposition(r->a, year, d.name));
	/* nginx answers If-None-Match (304) and adds X-Content-Type-Options:
	 * nosniff to every answer (nginx/security-headers.conf). */
	resp_add_header(r, "ETag", arena_printf(r->a, "\"%s\"", d.sha256));
	return resp_bytes(r, 200, "application/pdf", data, len);
}

const struct route dashboard_decision_routes[] = {
	{ M_GET, "/api/plans/{}/decision.pdf", h_decision_get, 0, 0, 0 },
	ROUTES_END
};
