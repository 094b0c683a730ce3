/*
 * mail: one outbox row as an e-mail through the SMTP relay, with
 * libcurl's SMTP client: MAIL FROM, RCPT TO, DATA, and success only when
 * the relay answered 250 to the end of the data (curl_easy_perform gives
 * CURLE_OK then and only then). The message is UTF-8 plain text in
 * base64, its subject an RFC 2047 encoded word, its Message-ID the row's,
 * so a row delivered twice (a sender killed between the relay's 250 and
 * the row's mark) is the same message to the mailbox.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "arena.h"

#include "sender.h"

/* The message being read by libcurl. */
struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
upload_read(char *buf, size_t size, size_t n, void *data)
{
	struct upload	*u = data;
	size_t		 k = size * n < u->left ? size * n : u->left;

	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/* s in base64, lines of 76 characters ended by CRLF. */
static char *
base64_lines(struct arena *a, const char *s)
{
	size_t		 n = strlen(s), blen, i, k = 0;
	char		*b, *out;

	blen = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	b = arena_alloc(a, blen);
	sodium_bin2base64(b, blen, (const unsigned char *)s, n,
	    sodium_base64_VARIANT_ORIGINAL);
	n = strlen(b);
	out = arena_alloc(a, n + 2 * (n / 76 + 2) + 1);
	for (i = 0; i < n; i += 76) {
		size_t	 m = n - i < 76 ? n - i : 76;

		memcpy(out + k, b + i, m);
		k += m;
		out[k++] = '\r';
		out[k++] = '\n';
	}
	out[k] = '\0';
	return out;
}

/* The bare address of KC_MAIL_FROM ("Name <a@b>" or "a@b"), for MAIL FROM. */
static const char *
from_address(struct arena *a, const char *from)
{
	const char	*lt = strchr(from, '<'), *gt;

	if (lt == NULL)
		return arena_printf(a, "<%s>", from);
	gt = strchr(lt, '>');
	return arena_strndup(a, lt, gt != NULL ? (size_t)(gt - lt + 1) :
	    strlen(lt));
}

/* Row r as an RFC 5322 message with CRLF line ends. */
static char *
message(struct arena *a, const struct sender *s, const struct outbox_row *r)
{
	char		 date[64];
	time_t		 now = time(NULL);
	struct tm	 tm;
	const char	*subject = r->subject != NULL ? r->subject : "";
	size_t		 sn = strlen(subject), blen;
	char		*b;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	blen = sodium_base64_ENCODED_LEN(sn, sodium_base64_VARIANT_ORIGINAL);
	b = arena_alloc(a, blen);
	sodium_bin2base64(b, blen, (const unsigned char *)subject, sn,
	    sodium_base64_VARIANT_ORIGINAL);
	return arena_printf(a, "Date: %s\r\nFrom: %s\r\nTo: <%s>\r\n"
	    "Subject: =?UTF-8?B?%s?=\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n%s", date, s->mail_from,
	    r->recipient, b, r->message_id,
	    base64_lines(a, sender_body(a, r)));
}

/* Deliver e-mail row r through the relay: out->ok, or out->error. */
void
mail_send(const struct sender *s, struct arena *a, const struct outbox_row *r,
    struct outcome *out)
{
	CURL			*c;
	struct curl_slist	*rcpt = NULL;
	struct upload		 u;
	char			 err[CURL_ERROR_SIZE] = "";
	CURLcode		 rc;

	memset(out, 0, sizeof(*out));
	u.p = message(a, s, r);
	u.left = strlen(u.p);
	if ((c = curl_easy_init()) == NULL) {
		snprintf(out->error, sizeof(out->error), "curl_easy_init");
		return;
	}
	rcpt = curl_slist_append(rcpt, arena_printf(a, "<%s>", r->recipient));
	curl_easy_setopt(c, CURLOPT_URL, s->smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_address(a, s->mail_from));
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, s->timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, s->timeout_s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	if (s->starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (s->smtp_user != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->smtp_password != NULL ?
		    s->smtp_password : "");
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		out->ok = 1;
	else
		snprintf(out->error, sizeof(out->error), "smtp: %s%s%s",
		    curl_easy_strerror(rc), *err != '\0' ? ": " : "", err);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
}
