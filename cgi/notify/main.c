/*
 * kc-notify: the sender of the applicants' messages (issue 19). It
 * claims the due rows of notify_outbox (outbox.c), delivers each e-mail
 * through the SMTP relay (mail.c) and each SMS through the gateway
 * (sms.c), and marks a row sent only after the relay's or the gateway's
 * acceptance; a failure queues the row again after a growing delay, and
 * a row still undelivered after the give-up time becomes failed, which
 * staff see in /api/admin/outbox. Not a FastCGI program: it runs under
 * the same supervisor (multiwatch in nginx/stack.sh, systemd in
 * production), which starts it again when it dies; any number may run.
 *
 * Configuration (environment), besides conf.h's database settings:
 *   KC_SMTP_URL          the relay: smtp://host:25, smtp://host:587 (with
 *                        KC_SMTP_STARTTLS=1) or smtps://host:465; unset:
 *                        e-mail rows stay queued, untouched, until it is
 *   KC_MAIL_FROM         sender address (default khuyencong@localhost)
 *   KC_SMTP_USER, KC_SMTP_PASSWORD_FILE   optional AUTH
 *   KC_SMS_URL           the gateway's POST address; unset: no SMS
 *   KC_SMS_TOKEN_FILE    optional bearer token;  KC_SMS_BRAND  brand name
 *   KC_NOTIFY_RETRY_MS (30000), KC_NOTIFY_RETRY_MAX_MS (3600000): the
 *                        first delay after a failure, doubling up to max
 *   KC_NOTIFY_GIVEUP     seconds after which a row is failed (172800)
 *   KC_NOTIFY_CLAIM      seconds of a claim's lease (120)
 *   KC_NOTIFY_POLL_MS    sleep when nothing is due (1000)
 *   KC_NOTIFY_BATCH      rows per claim (10)
 *   KC_NOTIFY_TIMEOUT    seconds one delivery may take (20)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "log.h"

#include "sender.h"

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* The first line of file path (a password, a token), or NULL. */
static const char *
read_secret(struct arena *a, const char *path)
{
	char	 line[512];
	FILE	*f;

	if (path == NULL)
		return NULL;
	if ((f = fopen(path, "r")) == NULL) {
		log_err("notify: cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	return arena_strdup(a, line);
}

static void
sender_conf(struct arena *a, struct sender *s)
{
	s->smtp_url = conf_get("KC_SMTP_URL", NULL);
	s->mail_from = conf_get("KC_MAIL_FROM", "khuyencong@localhost");
	s->smtp_user = conf_get("KC_SMTP_USER", NULL);
	s->smtp_password = read_secret(a, conf_get("KC_SMTP_PASSWORD_FILE",
	    NULL));
	s->starttls = conf_int("KC_SMTP_STARTTLS", 0, 0, 1);
	s->sms_url = conf_get("KC_SMS_URL", NULL);
	s->sms_token = read_secret(a, conf_get("KC_SMS_TOKEN_FILE", NULL));
	s->sms_brand = conf_get("KC_SMS_BRAND", "KHUYENCONG");
	s->retry_ms = conf_int("KC_NOTIFY_RETRY_MS", 30000, 10, 86400000);
	s->retry_max_ms = conf_int("KC_NOTIFY_RETRY_MAX_MS", 3600000,
	    s->retry_ms, 86400000);
	s->giveup_s = conf_int("KC_NOTIFY_GIVEUP", 172800, 1, 31536000);
	s->claim_s = conf_int("KC_NOTIFY_CLAIM", 120, 2, 86400);
	s->poll_ms = conf_int("KC_NOTIFY_POLL_MS", 1000, 10, 60000);
	s->batch = conf_int("KC_NOTIFY_BATCH", 10, 1, 1000);
	s->timeout_s = conf_int("KC_NOTIFY_TIMEOUT", 20, 1, 600);
	if (s->timeout_s >= s->claim_s)
		s->timeout_s = s->claim_s - 1;
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	if (!stopping)
		nanosleep(&ts, NULL);	/* a signal cuts it short */
}

/* Deliver row r and mark it. */
static void
deliver(struct db *db, struct arena *a, const struct sender *s,
    const struct outbox_row *r, const char *claimer)
{
	struct outcome	 o;
	int		 rc;

	if (strcmp(r->channel, "email") == 0)
		mail_send(s, a, r, &o);
	else
		sms_send(s, a, r, &o);
	if (o.ok)
		rc = outbox_sent(db, r, claimer);
	else {
		log_info("notify: row %lld (%s, attempt %lld): %s", r->id,
		    r->channel, r->attempts + 1, o.error);
		rc = outbox_retry(db, s, r, claimer, o.error);
	}
	if (rc < 0)
		log_err("notify: row %lld not marked (database %d)", r->id, rc);
}

/*
 * One round: claim due rows and deliver them while the lease leaves
 * time for one more delivery. The number claimed, or < 0.
 */
static int
round_once(struct db *db, struct arena *a, const struct sender *s,
    const char *claimer)
{
	struct outbox_row	*rows;
	long long		 start = now_ms();
	int			 n, i;

	db_request_begin(db);
	if ((n = outbox_claim(db, a, s, claimer, &rows)) <= 0)
		return n;
	for (i = 0; i < n && !stopping; i++) {
		if (now_ms() - start + s->timeout_s * 1000 >= s->claim_s * 1000)
			break;
		deliver(db, a, s, &rows[i], claimer);
	}
	if (i < n)
		outbox_release(db, claimer);
	return n;
}

int
main(void)
{
	struct sigaction	 sa;
	struct sender		 s;
	struct arena		*keep, *a;
	struct db		*db;
	char			 host[64] = "host";
	unsigned long		 round;
	int			 n;

	log_init("kc-notify");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("notify: libcurl did not start");
		return 1;
	}
	keep = arena_new();
	a = arena_new();
	sender_conf(keep, &s);
	gethostname(host, sizeof(host) - 1);
	db = db_new("kc_staff", NULL, 0);
	if (s.smtp_url == NULL)
		log_info("notify: no relay (KC_SMTP_URL): e-mails stay queued");
	for (round = 1; !stopping; round++) {
		arena_reset(a);
		n = round_once(db, a, &s, arena_printf(a, "%.40s:%ld:%lu", host,
		    (long)getpid(), round));
		if (n < 0)
			log_err("notify: claim failed (database %d)", n);
		if (n <= 0)
			sleep_ms(n < 0 ? 1000 : s.poll_ms);
	}
	db_free(db);
	arena_free(a);
	arena_free(keep);
	curl_global_cleanup();
	return 0;
}
