/*
 * notify: the applicant's messages into the outbox, in the caller's
 * transaction. See notify.h.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "notify.h"
#include "text.h"
#include "values.h"

enum notify_stmt { S_NOTIFY_ADD, S_NOTIFY__MAX };
static const char *const notify_sql[S_NOTIFY__MAX] = {
	[S_NOTIFY_ADD] =
	    "INSERT INTO notify_outbox (application_id, event, channel,"
	    " recipient, subject, body, secret, message_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
};
static struct db_set notify_set = DB_SET("notify", notify_sql);

static const char *const notify_events[] = {
	[NOTIFY_RECEIVED] = "received",
	[NOTIFY_STATUS] = "status",
	[NOTIFY_TOKEN] = "token",
};

#define VALUES_LABEL(id, code, label)	[id] = label,
static const char *const app_labels[] = { APP_STATUSES(VALUES_LABEL) };
#undef VALUES_LABEL

/* The Vietnamese label of an application status (its code if unknown). */
const char *
notify_status_label(const char *status)
{
	int	 i = values_find(values_app_statuses, status);

	return i >= 0 && (size_t)i < sizeof(app_labels) / sizeof(*app_labels) ?
	    app_labels[i] : status;
}

/*
 * A Vietnamese phone number as gateways take it: digits only, 84 for
 * the leading 0 ("0912 345 678" gives "84912345678"); NULL when it has
 * fewer than 9 digits.
 */
char *
notify_phone(struct arena *a, const char *phone)
{
	char	*out = arena_alloc(a, strlen(phone) + 3), *p = out;
	size_t	 n = 0;

	for (; *phone != '\0'; phone++) {
		if (!isdigit((unsigned char)*phone))
			continue;
		if (n == 0 && *phone == '0') {
			*p++ = '8';
			*p++ = '4';
			n += 2;
			continue;
		}
		*p++ = *phone;
		n++;
	}
	*p = '\0';
	return n >= 9 ? out : NULL;
}

/* The status page's address, with the reference (and token mark). */
static const char *
status_url(struct arena *a, const char *ref, int with_token)
{
	const char	*base = conf_get("KC_PUBLIC_URL", "http://localhost:8080");
	size_t		 n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(a, "%.*s/status.html#ref=%s%s", (int)n, base, ref,
	    with_token ? "&token=" NOTIFY_TOKEN_MARK : "");
}

/* A Message-ID, unique per row: <random.ref@domain of KC_MAIL_FROM>. */
static const char *
message_id(struct arena *a, const char *ref)
{
	const char	*from = conf_get("KC_MAIL_FROM", "khuyencong@localhost");
	const char	*at = strrchr(from, '@');
	unsigned char	 raw[16];
	char		 hex[2 * sizeof(raw) + 1];
	size_t		 n;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	at = at != NULL && at[1] != '\0' ? at + 1 : "localhost";
	n = strcspn(at, "> \t");
	return arena_printf(a, "<%s.%s@%.*s>", hex, ref, (int)n, at);
}

/* The e-mail's greeting and closing. */
#define HELLO	"Kính gửi %s,\n\n"
#define BYE	"\n\nThư này được gửi tự động từ hệ thống khuyến công;" \
		" vui lòng không trả lời thư này."

/* The subject and body of event's e-mail. */
static void
email_text(struct arena *a, enum notify_event ev, const struct notify_app *m,
    const char **subject, const char **body)
{
	const char	*who = m->facility != NULL && *m->facility != '\0' ?
			    m->facility : "quý cơ sở";
	const char	*label = notify_status_label(m->status);

	switch (ev) {
	case NOTIFY_RECEIVED:
		*subject = arena_printf(a, "Đã nhận hồ sơ %s", m->ref_code);
		*body = arena_printf(a, HELLO "Văn phòng đã nhận hồ sơ đề"
		    " nghị hỗ trợ khuyến công của quý cơ sở.\n\nMã hồ sơ: %s\n"
		    "Trạng thái: %s\n\nXem trạng thái hồ sơ (liên kết có mã tra"
		    " cứu, xin giữ kín):\n%s" BYE, who, m->ref_code,
		    notify_status_label("submitted"),
		    status_url(a, m->ref_code, 1));
		break;
	case NOTIFY_STATUS:
		*subject = arena_printf(a, "Hồ sơ %s: %s", m->ref_code, label);
		*body = arena_printf(a, HELLO "Hồ sơ %s của quý cơ sở đã"
		    " chuyển sang trạng thái: %s.\n%s%s%s\nXem chi tiết trên"
		    " trang tra cứu hồ sơ, với mã hồ sơ và mã tra cứu trong thư"
		    " xác nhận đã nhận hồ sơ:\n%s" BYE, who, m->ref_code, label,
		    m->reason != NULL ? "Nội dung: " : "",
		    m->reason != NULL ? m->reason : "",
		    m->reason != NULL ? "\n" : "",
		    status_url(a, m->ref_code, 0));
		break;
	case NOTIFY_TOKEN:
		*subject = arena_printf(a, "Mã tra cứu mới của hồ sơ %s",
		    m->ref_code);
		*body = arena_printf(a, HELLO "Văn phòng đã cấp mã tra cứu mới"
		    " cho hồ sơ %s. Mã tra cứu cũ không còn dùng được.\n\nXem"
		    " trạng thái hồ sơ (liên kết có mã tra cứu mới, xin giữ"
		    " kín):\n%s" BYE, who, m->ref_code,
		    status_url(a, m->ref_code, 1));
		break;
	}
}

/* The SMS of event: no token, ever; without diacritics (text_plain). */
static const char *
sms_text(struct arena *a, enum notify_event ev, const struct notify_app *m,
    int has_email)
{
	const char	*s = NULL;

	switch (ev) {
	case NOTIFY_RECEIVED:
		s = arena_printf(a, "Đã nhận hồ sơ %s. Tra cứu tại %s với mã"
		    " tra cứu trên phiếu nhận hồ sơ.", m->ref_code,
		    status_url(a, m->ref_code, 0));
		break;
	case NOTIFY_STATUS:
		s = arena_printf(a, "Hồ sơ %s: %s. Xem chi tiết tại %s",
		    m->ref_code, notify_status_label(m->status),
		    status_url(a, m->ref_code, 0));
		break;
	case NOTIFY_TOKEN:
		s = arena_printf(a, "Hồ sơ %s đã được cấp mã tra cứu mới; mã"
		    " cũ không còn dùng được. %s", m->ref_code, has_email ?
		    "Mã mới đã được gửi tới thư điện tử của quý cơ sở." :
		    "Vui lòng liên hệ văn phòng khuyến công để nhận mã mới.");
		break;
	}
	s = text_plain(a, s, strlen(s));
	return s != NULL ? s : "";
}

/* One outbox row: 0, or < 0. */
static int
q_notify_add(struct db *db, struct arena *a, enum notify_event ev,
    const struct notify_app *m, const char *channel, const char *to,
    const char *subject, const char *body, const char *secret)
{
	int	 rc;

	rc = db_sexec(db, &notify_set, S_NOTIFY_ADD, DB_ARGS(DB_INT(m->id),
	    DB_STR(notify_events[ev]), DB_STR(channel), DB_STR(to),
	    DB_STR(subject), DB_STR(body), DB_STR(secret),
	    DB_STR(message_id(a, m->ref_code))));
	return rc < 0 ? rc : 0;
}

/*
 * Queue event's messages for application m, on db inside the caller's
 * transaction: NOTIFY_EMAIL | NOTIFY_SMS for the rows written (0: none,
 * no address and no gateway), or a DB_E* code (the caller rolls back).
 */
int
notify_queue(struct db *db, struct arena *a, enum notify_event ev,
    const struct notify_app *m)
{
	const char	*subject = NULL, *body = NULL, *phone;
	int		 rc, mask = 0, email;

	email = m->email != NULL && *m->email != '\0';
	if (email) {
		email_text(a, ev, m, &subject, &body);
		if ((rc = q_notify_add(db, a, ev, m, "email", m->email, subject,
		    body, ev == NOTIFY_STATUS ? NULL : m->token)) < 0)
			return rc;
		mask |= NOTIFY_EMAIL;
	}
	if (conf_get("KC_SMS_URL", NULL) != NULL && m->phone != NULL &&
	    (phone = notify_phone(a, m->phone)) != NULL) {
		if ((rc = q_notify_add(db, a, ev, m, "sms", phone, NULL,
		    sms_text(a, ev, m, email), NULL)) < 0)
			return rc;
		mask |= NOTIFY_SMS;
	}
	return mask;
}
