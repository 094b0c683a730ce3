/*
 * kc-notify: what its files share. main.c reads the configuration and
 * runs the loop; outbox.c claims due rows and marks them; mail.c delivers
 * an e-mail through the SMTP relay, sms.c an SMS through the gateway,
 * both with libcurl.
 */
#ifndef KC_SENDER_H
#define KC_SENDER_H

#include <stddef.h>

struct arena;
struct db;

/* The configuration (main.c reads it from the environment once). */
struct sender {
	const char	*smtp_url;	/* KC_SMTP_URL, NULL: no relay */
	const char	*mail_from;	/* KC_MAIL_FROM */
	const char	*smtp_user;	/* KC_SMTP_USER */
	const char	*smtp_password;	/* from KC_SMTP_PASSWORD_FILE */
	int		 starttls;	/* KC_SMTP_STARTTLS=1 */
	const char	*sms_url;	/* KC_SMS_URL, NULL: no gateway */
	const char	*sms_token;	/* from KC_SMS_TOKEN_FILE */
	const char	*sms_brand;	/* KC_SMS_BRAND */
	long		 retry_ms;	/* first delay after a failure */
	long		 retry_max_ms;	/* longest delay */
	long		 giveup_s;	/* failed after so long */
	long		 claim_s;	/* a claim's lease */
	long		 poll_ms;	/* sleep when nothing is due */
	long		 batch;		/* rows per claim */
	long		 timeout_s;	/* one delivery at most */
};

/* One claimed row. */
struct outbox_row {
	long long	 id;
	const char	*channel;	/* "email" | "sms" */
	const char	*recipient;
	const char	*subject;
	const char	*body;
	const char	*secret;	/* NULL: none */
	const char	*message_id;
	long long	 attempts;
};

/* A delivery's outcome: ok, or the reason it failed. */
struct outcome {
	int		 ok;
	char		 error[300];
};

int	outbox_claim(struct db *, struct arena *, const struct sender *,
	    const char *claimer, struct outbox_row **rows);
int	outbox_sent(struct db *, const struct outbox_row *, const char *claimer);
int	outbox_retry(struct db *, const struct sender *,
	    const struct outbox_row *, const char *claimer, const char *error);
int	outbox_release(struct db *, const char *claimer);

const char	*sender_body(struct arena *, const struct outbox_row *);
void	mail_send(const struct sender *, struct arena *,
	    const struct outbox_row *, struct outcome *);
void	sms_send(const struct sender *, struct arena *,
	    const struct outbox_row *, struct outcome *);

#endif
