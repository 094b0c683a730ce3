/*
 * pages: the server-written pages of kc-register, for browsers without
 * JavaScript (a plain form post, Accept preferring text/html): the
 * receipt of an application (201) or its errors with the form's labels
 * (422/409/404/503), and an application's status or why it could not be
 * shown. Every value goes through resp_html_escape() (H()).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "req.h"
#include "resp.h"
#include "text.h"
#include "values.h"

#include "register.h"

#define H(s)		resp_html_escape(r->a, (s))
#define PAGE_CSS	"/css/register.css"

/* The form's labels of the fields, for error pages. */
static const struct {
	const char	*name, *label;
} labels[] = {
	{ "call_id", "Đợt hỗ trợ" },
	{ "facility.name", "Tên cơ sở" },
	{ "facility.tax_code", "Mã số thuế hoặc số định danh cá nhân" },
	{ "facility.owner_name", "Người đại diện" },
	{ "facility.phone", "Số điện thoại" },
	{ "facility.email", "E-mail" },
	{ "facility.address", "Địa chỉ" },
	{ "facility.unit_code", "Xã, phường" },
	{ "facility.kind", "Loại hình" },
	{ "products", "Sản phẩm" },
	{ "requested_vnd", "Số tiền đề nghị hỗ trợ" },
	{ "note", "Ghi chú" },
	{ "ref_code", "Mã hồ sơ" },
	{ "token", "Mã tra cứu" },
	{ "answer", "Trả lời" },
	{ "files", "Tệp đính kèm" },
	{ "confirm", "Xác nhận" },
};

/* The labels of values.h's lists, in their order. */
#define VALUE_LABEL(id, code, label)	label,
static const char *const call_kind_labels[] = { CALL_KINDS(VALUE_LABEL) };
static const char *const app_status_labels[] = { APP_STATUSES(VALUE_LABEL) };
#undef VALUE_LABEL

static const char *
label_of(const char *name)
{
	size_t	 i;

	for (i = 0; i < NELEM(labels); i++)
		if (strcmp(labels[i].name, name) == 0)
			return labels[i].label;
	return name;
}

/* The label of code in codes (values.h), else code itself ("" for NULL). */
static const char *
value_text(const char *const *codes, const char *const *texts,
    const char *code)
{
	int	 i;

	if ((i = values_find(codes, code)) >= 0)
		return texts[i];
	return code != NULL ? code : "";
}

#define KIND_TEXT(k)	value_text(values_call_kinds, call_kind_labels, (k))
#define STATUS_TEXT(s)	value_text(values_app_statuses, app_status_labels, (s))

/* 15000000 → "15.000.000" (vi-VN grouping). */
char *
reg_vnd_text(struct arena *a, long long n)
{
	char	 d[32], *o;
	int	 len, i, k = 0;

	len = snprintf(d, sizeof(d), "%lld", n < 0 ? 0 : n);
	o = arena_alloc(a, (size_t)len * 2 + 1);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			o[k++] = '.';
		o[k++] = d[i];
	}
	o[k] = '\0';
	return o;
}

/*
 * What the person typed into the form field name ("a.b" is also sent as
 * "a[b]"; a repeated key is joined with "; "), at most 200 characters;
 * NULL when nothing was typed. Not escaped.
 */
static const char *
typed_value(struct req *r, const char *name)
{
	const char	*dot = strchr(name, '.'), *acc = NULL, *k;
	const char	*bname = NULL;
	size_t		 i, n, chars;

	if (dot != NULL)
		bname = arena_printf(r->a, "%.*s[%s]", (int)(dot - name), name,
		    dot + 1);
	for (i = 0; i < r->nargs; i++) {
		k = r->args[i].key;
		if (r->args[i].len == 0 || (strcmp(k, name) != 0 &&
		    (bname == NULL || strcmp(k, bname) != 0)))
			continue;
		acc = acc == NULL ? r->args[i].val :
		    arena_printf(r->a, "%s; %s", acc, r->args[i].val);
	}
	if (acc == NULL)
		return NULL;
	n = strlen(acc);
	if (!text_utf8_valid(acc, n))
		return "(không phải văn bản UTF-8 hợp lệ)";
	for (i = 0, chars = 0; i < n; i++)
		if (((unsigned char)acc[i] & 0xC0) != 0x80 && ++chars > 200)
			return arena_printf(r->a, "%.*s…", (int)i, acc);
	return acc;
}

/*
 * The box of a refusal: message, then each field's label and message
 * (fields: NULL or field → message) with, where typed, what the form
 * sent in it. The page's text goes after it.
 */
static const char *
error_box(struct req *r, const char *message, json_object *fields, int typed)
{
	const char	*h, *t;

	h = arena_printf(r->a, "<div class=\"error-box\" role=\"alert\">"
	    "<p>%s</p>", H(message));
	if (fields != NULL) {
		h = arena_printf(r->a, "%s<ul>", h);
		json_object_object_foreach(fields, key, val) {
			t = typed ? typed_value(r, key) : NULL;
			h = arena_printf(r->a, "%s<li><strong>%s</strong>: %s%s%s"
			    "%s</li>", h, H(label_of(key)),
			    H(json_object_get_string(val)),
			    t != NULL ? "<br>Đã nhập: «" : "",
			    t != NULL ? H(t) : "", t != NULL ? "»" : "");
		}
		h = arena_printf(r->a, "%s</ul>", h);
	}
	return arena_printf(r->a, "%s</div>", h);
}

/* The error pages: the form's, a step's, a status lookup's. */
enum { EP_APPLY, EP_STEP, EP_STATUS };
static const struct {
	int		 typed;		/* show what was typed */
	const char	*after;		/* the text after the error box */
	const char	*title, *title_404;
} err_pages[] = {
	[EP_APPLY] = { 1, "<p>Dùng nút <strong>Quay lại</strong> (Back) của"
	    " trình duyệt để trở về mẫu đơn và sửa: những gì đã điền vẫn còn"
	    " đó. Hồ sơ chưa được lưu.</p>\n<p><a href=\"/register.html\">Mở"
	    " lại mẫu đơn đăng ký</a> · <a href=\"/status.html\">Tra cứu hồ sơ"
	    " đã nộp</a></p>", "Hồ sơ chưa được gửi", NULL },
	[EP_STEP] = { 0, "<p>Chưa có gì thay đổi. Dùng nút <strong>Quay"
	    " lại</strong> (Back) của trình duyệt để trở về trang hồ sơ.</p>\n"
	    "<p><a href=\"/status.html\">Tra cứu hồ sơ</a></p>",
	    "Chưa thực hiện được", NULL },
	[EP_STATUS] = { 0, "<p>Kiểm tra lại mã hồ sơ (dạng KC-2026-000123) và"
	    " mã tra cứu ghi trên phiếu nhận hồ sơ.</p>\n<p><a"
	    " href=\"/status.html\">Quay lại trang tra cứu</a></p>",
	    "Chưa tra cứu được hồ sơ", "Không tìm thấy hồ sơ" },
};

/*
 * Error page i (an html_error of struct req): the error box, with what
 * was typed when the page shows it, and the page's text after it.
 */
static int
error_page(struct req *r, int status, const char *message,
    json_object *fields, int i)
{
	const char	*h = error_box(r, message, fields, err_pages[i].typed);

	return resp_html(r, status, status == 404 &&
	    err_pages[i].title_404 != NULL ? err_pages[i].title_404 :
	    err_pages[i].title, PAGE_CSS, arena_printf(r->a, "%s\n%s", h,
	    err_pages[i].after));
}

/*
 * The page of a failed plain form post of the application form: 422
 * with its fields and what was typed in them, or another status. An
 * html_error of struct req.
 */
int
reg_page_apply_error(struct req *r, int status, const char *message,
    json_object *fields)
{
	return error_page(r, status, message, fields, EP_APPLY);
}

/*
 * The receipt of a plain form post (201): the codes, the call and the
 * facility, and a button that looks the status up by POST (the token in
 * the body, never in a URL).
 */
int
reg_page_receipt(struct req *r, const char *ref, const char *token,
    const char *call_title, const char *facility, long long requested)
{
	const char	*h;

	h = arena_printf(r->a, "<section class=\"receipt ok-box\""
	    " aria-label=\"Phiếu nhận hồ sơ\">\n<p>Hồ sơ đã được lưu. Hãy"
	    " <strong>ghi lại hoặc in</strong> hai mã dưới đây (chức năng In"
	    " hoặc Lưu trang của trình duyệt): cần cả hai để tra cứu kết quả."
	    " Mã tra cứu không thể cấp lại.</p>\n<dl>\n"
	    "<dt>Mã hồ sơ</dt><dd><span id=\"r-ref\" class=\"secret\">%s"
	    "</span></dd>\n"
	    "<dt>Mã tra cứu</dt><dd><span id=\"r-token\" class=\"secret\">%s"
	    "</span></dd>\n"
	    "<dt>Đợt hỗ trợ</dt><dd id=\"r-call\">%s</dd>\n"
	    "<dt>Cơ sở</dt><dd id=\"r-facility\">%s</dd>\n"
	    "<dt>Số tiền đề nghị</dt><dd>%s đ</dd>\n</dl>\n</section>\n",
	    H(ref), H(token), H(call_title), H(facility),
	    reg_vnd_text(r->a, requested));
	h = arena_printf(r->a, "%s<form class=\"no-print\" method=\"post\""
	    " action=\"/api/applications/%s/status\" accept-charset=\"utf-8\">"
	    "<input type=\"hidden\" name=\"token\" value=\"%s\">"
	    "<button type=\"submit\">Xem trạng thái hồ sơ</button></form>\n",
	    h, H(ref), H(token));
	resp_add_header(r, "Location", arena_printf(r->a,
	    "/api/applications/%s", ref));
	return resp_html(r, 201, "Đã nhận hồ sơ", PAGE_CSS, h);
}

/* The history of an application as the items of a list, after h. */
static const char *
status_history(struct req *r, const char *h, const struct reg_event *ev,
    size_t nev)
{
	size_t	 i;

	for (i = 0; i < nev; i++) {
		h = arena_printf(r->a, "%s<li><strong>%s</strong> — %s", h,
		    H(STATUS_TEXT(ev[i].status)), H(ev[i].at_vn));
		if (ev[i].amount_vnd.set)
			h = arena_printf(r->a, "%s<div>Số tiền: %s đ</div>", h,
			    reg_vnd_text(r->a, ev[i].amount_vnd.v));
		if (ev[i].reason != NULL && *ev[i].reason != '\0')
			h = arena_printf(r->a, "%s<div>Lý do: %s</div>", h,
			    H(ev[i].reason));
		h = arena_printf(r->a, "%s</li>\n", h);
	}
	return h;
}

/* The attachments of v, each a form that downloads it (token in the
 * body, never in a URL), after h. */
static const char *
status_files(struct req *r, const char *h, const struct reg_view *v)
{
	size_t	 i;

	if (v->nfiles == 0)
		return h;
	h = arena_printf(r->a, "%s<h2>Tệp đã gửi</h2>\n<ul id=\"s-files\">",
	    h);
	for (i = 0; i < v->nfiles; i++)
		h = arena_printf(r->a, "%s<li><form method=\"post\" action=\""
		    "/api/applications/%s/files/%lld\"><input type=\"hidden\""
		    " name=\"token\" value=\"%s\"><button type=\"submit\">"
		    "Tải %s</button> (%s KB)</form></li>\n", h,
		    H(v->s->ref_code), v->files[i].id, H(v->token),
		    H(v->files[i].name), reg_vnd_text(r->a,
		    (v->files[i].size + 1023) / 1024));
	return arena_printf(r->a, "%s</ul>\n", h);
}

/* The applicant's steps that the status allows now, as forms, after h. */
static const char *
status_forms(struct req *r, const char *h, const struct reg_view *v)
{
	const char	*req = reg_request(v);
	const char	*ref = H(v->s->ref_code), *tok = H(v->token);

	if (req != NULL)
		h = arena_printf(r->a, "%s<section class=\"request ok-box\""
		    " aria-labelledby=\"s-req-h\"><h2 id=\"s-req-h\">Cần bổ"
		    " sung thông tin</h2><p id=\"s-request\">%s</p>\n"
		    "<form method=\"post\" enctype=\"multipart/form-data\""
		    " action=\"/api/applications/%s/answer\""
		    " accept-charset=\"utf-8\"><input type=\"hidden\""
		    " name=\"token\" value=\"%s\"><div class=\"field\"><label"
		    " for=\"a-text\">Trả lời</label><textarea id=\"a-text\""
		    " name=\"answer\" rows=\"4\" maxlength=\"2000\" required>"
		    "</textarea></div><div class=\"field\"><label for=\"a-files"
		    "\">Tệp đính kèm (tối đa 3 tệp PDF, JPEG hoặc PNG, mỗi tệp"
		    " tối đa 5 MB)</label><input id=\"a-files\" type=\"file\""
		    " name=\"files\" multiple accept=\".pdf,.jpg,.jpeg,.png,"
		    "application/pdf,image/jpeg,image/png\"></div><button"
		    " type=\"submit\">Gửi thông tin bổ sung</button></form>"
		    "</section>\n", h, H(req), ref, tok);
	if (values_find(values_app_statuses, v->s->status) > APP_NEEDS_INFO)
		return h;
	return arena_printf(r->a, "%s<form class=\"withdraw no-print\""
	    " method=\"post\" action=\"/api/applications/%s/withdraw\""
	    " accept-charset=\"utf-8\"><input type=\"hidden\" name=\"token\""
	    " value=\"%s\"><label><input type=\"checkbox\" name=\"confirm\""
	    " value=\"1\" required> Tôi muốn rút hồ sơ này (không hoàn tác"
	    " được)</label> <button type=\"submit\">Rút hồ sơ</button>"
	    "</form>\n", h, ref, tok);
}

/* An application's status with its history as a page, 200. */
int
reg_page_status(struct req *r, const struct reg_view *v)
{
	const struct reg_status	*s = v->s;
	const char		*h;

	h = arena_printf(r->a, "<section class=\"status\" aria-label=\"Hồ"
	    " sơ\">\n<dl>\n"
	    "<dt>Trạng thái</dt><dd><span id=\"s-status\""
	    " class=\"status-badge\">%s</span></dd>\n"
	    "<dt>Cơ sở</dt><dd id=\"s-facility\">%s</dd>\n"
	    "<dt>Đợt hỗ trợ</dt><dd id=\"s-call\">%s (%s)</dd>\n"
	    "<dt>Số tiền đề nghị</dt><dd id=\"s-requested\">%s đ</dd>\n"
	    "<dt>Số tiền được duyệt</dt><dd id=\"s-approved\">%s</dd>\n"
	    "<dt>Ngày nộp</dt><dd id=\"s-created\">%s</dd>\n</dl>\n",
	    H(STATUS_TEXT(s->status)), H(s->facility_name), H(s->call_title),
	    H(KIND_TEXT(s->call_kind)), reg_vnd_text(r->a, s->requested_vnd),
	    !s->approved_vnd.set ? "Chưa có" : arena_printf(r->a, "%s đ",
	    reg_vnd_text(r->a, s->approved_vnd.v)), H(s->created_vn));
	h = status_forms(r, h, v);
	h = arena_printf(r->a, "%s<h2>Quá trình xử lý</h2>\n<ol"
	    " id=\"s-history\" class=\"history\">\n", h);
	h = status_history(r, h, v->ev, v->nev);
	h = arena_printf(r->a, "%s</ol>\n", h);
	h = status_files(r, h, v);
	h = arena_printf(r->a, "%s</section>\n<p class=\"no-print\">"
	    "<a href=\"/status.html\">Tra cứu hồ sơ khác</a></p>", h);
	return resp_html(r, 200, arena_printf(r->a, "Hồ sơ %s",
	    s->ref_code), PAGE_CSS, h);
}

/* The page of a refused step of the applicant (withdraw, answer): an
 * html_error. */
int
reg_page_step_error(struct req *r, int status, const char *message,
    json_object *fields)
{
	return error_page(r, status, message, fields, EP_STEP);
}

/* The page of a failed status lookup (404, 422 or 503): an html_error. */
int
reg_page_status_error(struct req *r, int status, const char *message,
    json_object *fields)
{
	return error_page(r, status, message, fields, EP_STATUS);
}
