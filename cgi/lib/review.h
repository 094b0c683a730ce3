/*
 * review: the steps of an application's review, once for kc-staff (the
 * reviewer's and the admin's steps) and kc-register (the applicant's,
 * with the reference code and the status token).
 *
 * One table of the allowed transitions (status × action → status, who
 * may take it) and one function, review_step(), that takes a step inside
 * the caller's transaction: the application_event row (who, when, why),
 * the application's new status and the audit row with before and after.
 * Whatever else a step must write in the same transaction (an outbox row,
 * the attachments of an answer) goes beside it, in that transaction.
 */
#ifndef KC_REVIEW_H
#define KC_REVIEW_H

#include <stddef.h>

#include <json-c/json.h>

#include "db.h"
#include "values.h"

struct arena;
struct auth_user;
struct db;

/* The steps, in the order the pages offer them. */
#define REVIEW_ACTIONS(X) \
	X(RA_REVIEW,	"review",	"bắt đầu xem xét") \
	X(RA_ASK,	"ask",		"yêu cầu bổ sung thông tin") \
	X(RA_ANSWER,	"answer",	"gửi thông tin bổ sung") \
	X(RA_APPROVE,	"approve",	"duyệt") \
	X(RA_REJECT,	"reject",	"không duyệt") \
	X(RA_WITHDRAW,	"withdraw",	"rút hồ sơ") \
	X(RA_REOPEN,	"reopen",	"mở lại quyết định")

#define REVIEW_ENUM(id, code, label)	id,
enum review_action { REVIEW_ACTIONS(REVIEW_ENUM) RA__MAX };
#undef REVIEW_ENUM

/* Who takes a step: ROLE_* bits (auth.h) of staff, or the applicant. */
#define REVIEW_BY_APPLICANT	0x100

/* One allowed transition. */
struct review_rule {
	unsigned int		 from;	/* 1 << each status it starts from */
	enum review_action	 act;
	enum app_status		 to;
	unsigned int		 who;	/* ROLE_* bits or REVIEW_BY_APPLICANT */
};

/* An application locked for a step (review_lock). */
struct review_app {
	long long	 id;
	const char	*ref_code;
	const char	*status_code;	/* as the row has it */
	enum app_status	 status;	/* status_code's */
	struct db_nint	 approved_vnd;
	long long	 call_id;
	long long	 facility_id;
	const char	*facility_name;
	const char	*email;		/* NULL: none, or not readable */
	const char	*phone;
};

/* A step: its action, its text (reason, message or answer), amount. */
struct review_input {
	enum review_action	 act;
	const char		*text;		/* NULL: none */
	const long long		*amount;	/* approve only */
	const struct auth_user	*user;		/* NULL: the applicant */
	const char		*ip;
};

extern const char *const review_action_codes[];

const struct review_rule *review_rule(enum app_status, enum review_action);
int	 review_may(const struct review_rule *, unsigned int who);
const char *review_refusal(struct arena *, enum app_status,
	    enum review_action, unsigned int who);
const char *review_status_label(enum app_status);
int	 review_lock(struct db *, struct arena *, long long id,
	    struct review_app *);
int	 review_lock_ref(struct db *, struct arena *, const char *ref,
	    struct review_app *);
int	 review_step(struct db *, struct arena *, const struct review_app *,
	    const struct review_input *, long long *event_id,
	    json_object **out);
int	 review_active_ref(struct db *, struct arena *, long long call_id,
	    long long facility_id, const char **ref);

#endif
