/*
 * The approving decision of a year's plan: the PDF the office uploads
 * (plan.doc_*), kept in the store of uploaded files (cgi/lib/files.c,
 * $KC_VAR/files/<sha256>, outside the web root) and set on the plan
 * through cgi/lib/plan.c (its audit rows: plan.document,
 * plan.document_delete). The public reads it once the plan is published
 * (kc-dashboard's decision.c); the staff read a draft's too.
 *
 *   GET    /api/admin/plans/{year}/decision   finance, auditor
 *   POST   /api/admin/plans/{year}/decision   finance (multipart)
 *   DELETE /api/admin/plans/{year}/decision   finance (a draft's)
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "auth.h"
#include "files.h"
#include "plan.h"
#include "req.h"
#include "resp.h"
#include "staff.h"

/* The body of an upload: the file and the form's headers. */
#define DECISION_BODY	(PLAN_DOC_MAX + (64u << 10))

static const char NO_DOC[] =
    "Kế hoạch năm này chưa có văn bản quyết định.";

/*
 * The one file of an upload, checked: a PDF by its content, 1 byte to
 * PLAN_DOC_MAX, stored; its hash, name and size into d. 0, or the 422
 * (500) written.
 */
static int
decision_file(struct req *r, struct plan_doc_in *d, char *hex)
{
	const struct req_file	*f = &r->files[0];
	const char		*ctype;

	if (r->nfiles != 1)
		return staff_invalid(r, "file", "Chọn một tệp PDF: văn bản"
		    " quyết định phê duyệt kế hoạch.");
	d->name = files_clean_name(r->a, f->name);
	d->size = (long long)f->len;
	if (f->len == 0 || f->len > PLAN_DOC_MAX)
		return staff_invalid(r, "file", arena_printf(r->a, "Tệp «%s»"
		    " %s.", d->name, f->len == 0 ? "trống" :
		    "lớn hơn 10 MB"));
	ctype = files_sniff(f->data, f->len);
	if (ctype == NULL || strcmp(ctype, "application/pdf") != 0)
		return staff_invalid(r, "file", arena_printf(r->a, "Tệp «%s»"
		    " không phải PDF (xét theo nội dung tệp, không theo"
		    " tên).", d->name));
	if (files_store_max(f->data, f->len, PLAN_DOC_MAX, hex) < 0)
		return resp_fail(r, E_INTERNAL, "Chưa lưu được tệp."
		    " Vui lòng thử lại sau.");
	d->sha256 = hex;
	return 0;
}

/*
 * POST /api/admin/plans/{year}/decision, multipart/form-data with one
 * file (field "file"): the decision, a PDF by its content of at most
 * 10 MB (finance) → 200 the plan (its "document": name, size, sha256);
 * a document there before is replaced (audited, before and after). 404
 * no plan; 413 past the body's limit; 422 no file, two files, empty,
 * too big, not a PDF.
 */
static int
h_decision_post(struct req *r)
{
	struct plan_ctx		 c;
	struct plan_doc_in	 d;
	char			 hex[FILES_HASH_HEX];
	json_object		*o = NULL;
	int			 rc;

	memset(&d, 0, sizeof(d));
	if ((rc = decision_file(r, &d, hex)) != 0)
		return rc;
	staff_plan_ctx(r, &c);
	rc = plan_doc_set(&c, staff_param_id(r, 0), &d, &o);
	return staff_plan_answer(r, &c, rc, 200, o);
}

/*
 * DELETE /api/admin/plans/{year}/decision (finance) → 200 the plan
 * without a document; 404 no plan or no document; 409 a published
 * plan's (replaced, not removed).
 */
static int
h_decision_delete(struct req *r)
{
	struct plan_ctx	 c;
	json_object	*o;
	int		 rc;

	staff_plan_ctx(r, &c);
	if ((rc = plan_doc_set(&c, staff_param_id(r, 0), NULL, &o)) < 0) {
		if (rc == PLAN_ENOTFOUND)
			return resp_fail(r, E_NOT_FOUND, NO_DOC);
		return staff_plan_fail(r, &c, rc);
	}
	return resp_json(r, 200, o);
}

/*
 * GET /api/admin/plans/{year}/decision (finance, auditor) → the
 * document of a draft or a published plan as a download (its uploaded
 * name), application/pdf; 404 no plan or no document.
 */
static int
h_decision_get(struct req *r)
{
	struct plan_ctx	 c;
	const char	*hex = NULL, *name = NULL;
	long long	 year = staff_param_id(r, 0);
	int		 rc;

	staff_plan_ctx(r, &c);
	if ((rc = plan_doc_get(&c, year, &hex, &name)) < 0)
		return resp_db(r);
	if (rc == 0)
		return resp_fail(r, E_NOT_FOUND, NO_DOC);
	return files_serve(r, hex, "application/pdf", name != NULL ? name :
	    arena_printf(r->a, "quyet-dinh-ke-hoach-%lld.pdf", year));
}

const struct route staff_decision_routes[] = {
	{ M_GET, "/api/admin/plans/{}/decision", h_decision_get, 0, 0,
	    ROLE_FINANCE | STAFF_RD },
	{ M_POST, "/api/admin/plans/{}/decision", h_decision_post,
	    R_MULTIPART, DECISION_BODY, ROLE_FINANCE },
	{ M_DELETE, "/api/admin/plans/{}/decision", h_decision_delete, 0, 0,
	    ROLE_FINANCE },
	ROUTES_END
};
