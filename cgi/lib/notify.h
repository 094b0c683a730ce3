/*
 * notify: the applicant's messages, queued in the outbox (notify_outbox,
 * migration 057) inside the transaction of the change they tell of, so a
 * message exists exactly when that change was committed. The sender,
 * kc-notify (cgi/notify/), delivers them.
 *
 * An e-mail row when the application has an address (whether or not a
 * relay is configured yet: rows wait, queued, until one is); an SMS row
 * when a gateway is configured (KC_SMS_URL) and there is a phone number.
 * Texts are Vietnamese, with the reference code, the new status and the
 * status page's address under KC_PUBLIC_URL. The status token goes only
 * into the e-mail of a receipt and of a reissued token (the only moments
 * the system knows it: it keeps its hash), kept in the row's secret column
 * until delivery and cleared then; an SMS never carries it.
 *
 *   KC_PUBLIC_URL   the site's address as applicants reach it
 *                   (default http://localhost:8080)
 *   KC_MAIL_FROM    the sender address (default khuyencong@localhost);
 *                   its domain ends each Message-ID
 *   KC_SMS_URL      the SMS gateway: SMS rows are queued only when set
 */
#ifndef KC_NOTIFY_H
#define KC_NOTIFY_H

struct arena;
struct db;

enum notify_event {
	NOTIFY_RECEIVED,	/* an application was received */
	NOTIFY_STATUS,		/* its status changed */
	NOTIFY_TOKEN,		/* staff reissued its status token */
};

/* Where an e-mail's link takes the row's secret at delivery (kc-notify). */
#define NOTIFY_TOKEN_MARK	"{token}"

/* The channels of the rows queued (notify_queue's result). */
#define NOTIFY_EMAIL	0x1
#define NOTIFY_SMS	0x2

/* What a message tells, of one application. */
struct notify_app {
	long long	 id;		/* application.id */
	const char	*ref_code;
	const char	*facility;	/* its name, or NULL */
	const char	*email;		/* NULL or "": no e-mail */
	const char	*phone;		/* NULL or "": no SMS */
	const char	*status;	/* the new status (NOTIFY_STATUS) */
	const char	*reason;	/* its reason or message, or NULL */
	const char	*token;		/* NOTIFY_RECEIVED, NOTIFY_TOKEN */
};

int		 notify_queue(struct db *, struct arena *, enum notify_event,
		    const struct notify_app *);
const char	*notify_status_label(const char *status);
char		*notify_phone(struct arena *, const char *phone);

#endif
